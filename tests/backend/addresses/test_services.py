"""The address book on real databases: validation, one default, the cap, ownership, races."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from flashmart.accounts.models import User
from flashmart.addresses import services
from flashmart.addresses.models import Address
from flashmart.addresses.validation import AddressFields, clean_address
from flashmart.core.errors import DomainFailure, ErrorCode
from tests.backend.addresses.factories import HOME


async def _user(email: str) -> User:
    return await User.create(email=email, password_hash="x")


async def _add(user: User, maximum: int = 20, **changes: str) -> Address:
    return await services.create_address(
        user_id=user.id, data=replace(HOME, **changes), address_format="CN", maximum=maximum
    )


def _codes(failure: pytest.ExceptionInfo[DomainFailure]) -> dict[str, str]:
    return {".".join(e.field or ()): e.code.value for e in failure.value.errors}


@pytest.mark.parametrize(
    "phone", ["13800138000", "+8613800138000", "138 0013 8000", "+86 138-0013-8000"]
)
def test_mainland_phone_numbers_are_accepted_and_normalised(phone: str) -> None:
    clean = clean_address(replace(HOME, phone=phone), address_format="CN")
    assert clean.phone.removeprefix("+86") == "13800138000"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"phone": "23800138000"}, {"phone": "INVALID"}),
        ({"phone": "1380013800"}, {"phone": "INVALID"}),
        ({"phone": "+4413800138000"}, {"phone": "INVALID"}),
        ({"postcode": "31001"}, {"postcode": "INVALID"}),
        ({"postcode": ""}, {"postcode": "REQUIRED"}),
        ({"recipient": "  ", "street": "x" * 201}, {"recipient": "REQUIRED", "street": "INVALID"}),
        ({"city": "c" * 51, "district": "d" * 51}, {"city": "INVALID", "district": "INVALID"}),
    ],
)
def test_bad_fields_are_each_named(changes: dict[str, str], expected: dict[str, str]) -> None:
    with pytest.raises(DomainFailure) as refused:
        clean_address(replace(HOME, **changes), address_format="CN")
    assert _codes(refused) == expected


def test_any_format_takes_international_numbers_and_no_postcode() -> None:
    abroad = AddressFields(
        recipient="Ann", phone="+44 20 7946 0958", region="London", city="London",
        district="", street="1 High St", postcode="",
    )  # fmt: skip
    assert clean_address(abroad, address_format="ANY").phone == "+44 20 7946 0958"
    with pytest.raises(DomainFailure) as refused:
        clean_address(replace(abroad, phone="call me"), address_format="ANY")
    assert _codes(refused) == {"phone": "INVALID"}


async def test_first_address_is_default_and_one_default_at_a_time(db: None) -> None:
    user = await _user("a@example.com")
    first = await _add(user)
    second = await _add(user, street="2 Lane")
    assert (first.is_default, second.is_default) == (True, False)
    third = await services.create_address(
        user_id=user.id, data=HOME, make_default=True, address_format="CN", maximum=20
    )
    assert await Address.filter(user_id=user.id, is_default=True).values_list("id", flat=True) == [
        third.id
    ]
    await services.set_default_address(user_id=user.id, address_id=second.id)
    book = await services.addresses_of(user.id)
    assert [(a.id, a.is_default) for a in book] == [
        (second.id, True),
        (first.id, False),
        (third.id, False),
    ]


async def test_deleting_the_default_promotes_the_oldest_or_none(db: None) -> None:
    user = await _user("a@example.com")
    first, second, third = [await _add(user, street=f"{n} Lane") for n in range(3)]
    await services.delete_address(user_id=user.id, address_id=first.id)
    assert (await Address.get(id=second.id)).is_default
    await services.delete_address(user_id=user.id, address_id=third.id)  # not the default
    assert (await Address.get(id=second.id)).is_default
    await services.delete_address(user_id=user.id, address_id=second.id)
    assert await Address.filter(user_id=user.id).count() == 0


async def test_the_book_has_a_cap(db: None) -> None:
    user = await _user("a@example.com")
    for n in range(3):
        await _add(user, maximum=3, street=f"{n} Lane")
    with pytest.raises(DomainFailure) as refused:
        await _add(user, maximum=3)
    assert refused.value.errors[0].code is ErrorCode.LIMIT_EXCEEDED
    assert await Address.filter(user_id=user.id).count() == 3


async def test_another_users_address_is_not_found_and_unchanged(db: None) -> None:
    owner, other = await _user("owner@example.com"), await _user("other@example.com")
    address = await _add(owner)
    attempts = [
        services.update_address(
            user_id=other.id, address_id=address.id, data=replace(HOME, city="X"),
            address_format="CN",
        ),
        services.set_default_address(user_id=other.id, address_id=address.id),
        services.delete_address(user_id=other.id, address_id=address.id),
        services.address_of(user_id=other.id, address_id=address.id),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(DomainFailure) as refused:
            await attempt
        assert refused.value.errors[0].code is ErrorCode.NOT_FOUND
    kept = await Address.get(id=address.id)
    assert (kept.user_id, kept.city, kept.is_default) == (owner.id, "Hangzhou", True)
    assert await services.chosen_address(user_id=other.id, address_id=address.id) is None


async def test_concurrent_writes_keep_one_default_and_the_cap(db: None) -> None:
    user = await _user("a@example.com")
    outcomes = await asyncio.gather(
        *(_add(user, maximum=5, street=f"{n} Lane") for n in range(12)), return_exceptions=True
    )
    made = [o for o in outcomes if isinstance(o, Address)]
    refused = [o for o in outcomes if isinstance(o, DomainFailure)]
    assert (len(made), len(refused)) == (5, 7)
    assert all(r.errors[0].code is ErrorCode.LIMIT_EXCEEDED for r in refused)
    assert await Address.filter(user_id=user.id, is_default=True).count() == 1

    ids = [a.id for a in made]
    await asyncio.gather(
        *(services.set_default_address(user_id=user.id, address_id=i) for i in ids * 3)
    )
    assert await Address.filter(user_id=user.id, is_default=True).count() == 1
