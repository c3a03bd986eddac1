"""What a valid address is: bounded lengths, and phone and postcode formats per
`ADDRESS_FORMAT` (CN: mainland China; ANY: international). No database here."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Literal

from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text

AddressFormat = Literal["CN", "ANY"]

# (field, shortest, longest); the models' column lengths agree.
LIMITS: dict[str, tuple[int, int]] = {
    "recipient": (1, 50),
    "phone": (1, 20),
    "region": (1, 50),
    "city": (1, 50),
    "district": (0, 50),
    "street": (1, 200),
    "postcode": (0, 12),
}
_PHONE = {
    "CN": re.compile(r"(\+86)?1\d{10}"),
    "ANY": re.compile(r"\+?\d[\d ()-]{3,18}"),
}
_POSTCODE = {"CN": re.compile(r"\d{6}"), "ANY": re.compile(r"([A-Za-z0-9][A-Za-z0-9 -]*)?")}
# Each field's name in messages ("Enter the {field}"), written in the client's language.
_LABELS: dict[str, Message] = {
    "recipient": text("recipient"),
    "phone": text("phone"),
    "region": text("region"),
    "city": text("city"),
    "district": text("district"),
    "street": text("street"),
    "postcode": text("postcode"),
}
_PHONE_HINT = {
    "CN": text("11 digits starting with 1, optionally after +86"),
    "ANY": text("digits, spaces, dashes and brackets, optionally after +"),
}
_POSTCODE_HINT = {
    "CN": text("six digits"),
    "ANY": text("letters, digits, spaces and dashes"),
}


@dataclass(frozen=True)
class AddressFields:
    """An address as written on a parcel: the book's entries and orders' snapshots."""

    recipient: str
    phone: str
    region: str
    city: str
    district: str
    street: str
    postcode: str

    def snapshot(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_snapshot(cls, data: dict[str, str]) -> AddressFields:
        return cls(**{f.name: str(data.get(f.name, "")) for f in fields(cls)})


def _normalise_phone(phone: str) -> str:
    return re.sub(r"[\s-]", "", phone) if phone.startswith(("+86", "1")) else phone


def clean_address(raw: AddressFields, *, address_format: AddressFormat) -> AddressFields:
    """The address trimmed (CN phones without spaces and dashes), or `DomainFailure` naming
    every bad field."""
    values = {name: " ".join(getattr(raw, name).split()) for name in LIMITS}
    if address_format == "CN":
        values["phone"] = _normalise_phone(values["phone"])
    errors: list[DomainError] = []
    for name, (shortest, longest) in LIMITS.items():
        length = len(values[name])
        if length < shortest:
            errors.append(
                DomainError(
                    ErrorCode.REQUIRED, text("Enter the {field}", field=_LABELS[name]), (name,)
                )
            )
        elif length > longest:
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    text(
                        "The {field} has at most {maximum} characters",
                        field=_LABELS[name],
                        maximum=longest,
                    ),
                    (name,),
                )
            )
    if values["phone"] and not _PHONE[address_format].fullmatch(values["phone"]):
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("Enter a phone number: {hint}", hint=_PHONE_HINT[address_format]),
                ("phone",),
            )
        )
    postcode = values["postcode"]
    if (address_format == "CN" or postcode) and not _POSTCODE[address_format].fullmatch(postcode):
        errors.append(
            DomainError(
                ErrorCode.INVALID if postcode else ErrorCode.REQUIRED,
                text("Enter a postcode: {hint}", hint=_POSTCODE_HINT[address_format]),
                ("postcode",),
            )
        )
    if errors:
        raise DomainFailure(*_first_per_field(errors))
    return AddressFields(**values)


def _first_per_field(errors: list[DomainError]) -> list[DomainError]:
    seen: set[tuple[str, ...] | None] = set()
    kept: list[DomainError] = []
    for error in errors:
        if error.field not in seen:
            seen.add(error.field)
            kept.append(error)
    return kept
