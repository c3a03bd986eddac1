"""Messages for people in the client's language (core/i18n.py): every template the code writes
has its 简体中文 translation, no message reaches `userErrors` or our BAD_USER_INPUT errors
without going through `text(...)`, and `Accept-Language` picks the language."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import flashmart
from flashmart.core.i18n import (
    CHINESE,
    ENGLISH,
    Message,
    catalog,
    language_var,
    parse_accept_language,
    placeholders,
    render,
    text,
)

SOURCE = Path(flashmart.__file__).resolve().parent
CATALOG_MODULE = SOURCE / "core" / "i18n.py"

# The functions that turn a message into a `DomainError` (→ `userErrors`) or a BAD_USER_INPUT
# error, and where their message argument is (position, keyword).
MESSAGE_ARGUMENTS: dict[str, tuple[int, str]] = {
    "DomainError": (1, "message"),
    "error": (1, "message"),  # catalog/validation.py
    "fail": (1, "message"),  # seckill/events.py
    "_fail": (1, "message"),  # orders, payments, after-sales
    "_refused": (1, "message"),  # seckill/room.py
    "not_found": (0, "message"),  # catalog/validation.py
    "_unsupported": (0, "message"),  # catalog/images.py
    "bad_input": (0, "message"),  # core/errors.py
}
# Keyword arguments that carry a message on to one of those.
MESSAGE_KEYWORDS = {"expired_message", "missing"}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_text_call(node: ast.AST) -> bool:
    """`text(...)` or `i18n.text(...)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "text") or (
        isinstance(func, ast.Attribute)
        and func.attr == "text"
        and isinstance(func.value, ast.Name)
        and func.value.id == "i18n"
    )


def _templates() -> dict[str, list[str]]:
    """Every template passed to `text(...)` in the code → where."""
    found: dict[str, list[str]] = {}
    for path, module in _modules():
        if path == CATALOG_MODULE:
            continue
        for node in ast.walk(module):
            if _is_text_call(node):
                assert isinstance(node, ast.Call)
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{where}: text() takes a literal template, so it can be translated"
                )
                found.setdefault(first.value, []).append(where)
    return found


def _is_bare(node: ast.expr) -> bool:
    """A message written as a plain string: a literal, an f-string, `%`/`+` or `.format()`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_bare(node.left) or _is_bare(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "format_map", "join")
    if isinstance(node, ast.IfExp):
        return _is_bare(node.body) or _is_bare(node.orelse)
    return False


def _bare_messages() -> list[str]:
    bare: list[str] = []
    for path, module in _modules():
        for node in ast.walk(module):
            where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else None
                arguments: list[ast.expr] = []
                if name in MESSAGE_ARGUMENTS:
                    position, keyword = MESSAGE_ARGUMENTS[name]
                    positional = node.args[: position + 1]
                    if len(positional) > position and not any(
                        isinstance(a, ast.Starred) for a in positional
                    ):  # `fail(*REFUSAL, "eventId")`: the table's entry is checked below
                        arguments.append(node.args[position])
                    arguments += [k.value for k in node.keywords if k.arg == keyword]
                arguments += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
                bare += [f"{where}: {ast.unparse(a)}" for a in arguments if _is_bare(a)]
            # Tables of refusals: (ErrorCode.X, message)
            if (
                isinstance(node, ast.Tuple)
                and len(node.elts) == 2
                and isinstance(node.elts[0], ast.Attribute)
                and isinstance(node.elts[0].value, ast.Name)
                and node.elts[0].value.id == "ErrorCode"
                and _is_bare(node.elts[1])
            ):
                bare.append(f"{where}: {ast.unparse(node)}")
    return bare


def test_the_scan_sees_the_messages() -> None:
    templates = _templates()
    assert "Use at most {maximum} characters" in templates  # catalog/validation.py
    assert "Enter the {field}" in templates  # addresses/validation.py
    assert "A search is at most {maximum} characters" in templates  # i18n.text(...)
    assert len(templates) > 100


def test_every_template_has_a_chinese_translation_with_the_same_placeholders() -> None:
    chinese = catalog(CHINESE)
    templates = _templates()
    missing = sorted(t for t in templates if t not in chinese)
    assert not missing, f"no zh-CN translation (flashmart/locales/zh_CN.json): {missing}"
    for template in templates:
        translation = chinese[template]
        assert translation.strip() and translation != template, template
        assert placeholders(translation) == placeholders(template), (template, translation)
    stale = sorted(t for t in chinese if t not in templates)
    assert not stale, f"translations of templates no code writes: {stale}"


def test_no_user_error_message_is_a_bare_string() -> None:
    """A message written as a plain string would reach a Chinese shopper in English: messages of
    `userErrors` and of our BAD_USER_INPUT errors are `text(...)` (mypy holds `DomainError`
    and `bad_input` to `Message` too; this catches what typing cannot, e.g. `Any`)."""
    assert _bare_messages() == []


def test_the_scan_finds_a_bare_message() -> None:
    module = ast.parse(
        'raise fail(ErrorCode.INVALID, f"At most {n}", "x")\n'
        'TABLE = {1: (ErrorCode.SOLD_OUT, "Sold out")}\n'
    )
    call, table = module.body[0], module.body[1]
    assert isinstance(call, ast.Raise) and isinstance(call.exc, ast.Call)
    assert _is_bare(call.exc.args[1])
    assert isinstance(table, ast.Assign) and isinstance(table.value, ast.Dict)
    pair = table.value.values[0]
    assert isinstance(pair, ast.Tuple) and _is_bare(pair.elts[1])
    assert not _is_bare(ast.parse('text("Sold out")', mode="eval").body)


def test_a_message_is_its_english_sentence() -> None:
    message = text("Use at most {maximum} characters", maximum=120)
    assert isinstance(message, str) and isinstance(message, Message)
    assert message == "Use at most 120 characters"
    assert f"{message}!" == "Use at most 120 characters!"
    assert render(message, ENGLISH) == "Use at most 120 characters"
    assert render(message, CHINESE) == "最多 120 个字符"
    assert type(render(message, CHINESE)) is str
    assert render("plain", CHINESE) == "plain"


def test_the_request_language_is_used_when_none_is_given() -> None:
    message = text("Enter the {field}", field=text("phone"))
    assert render(message) == "Enter the phone"
    token = language_var.set(CHINESE)
    try:
        assert render(message) == "请填写手机号"  # the field's name is translated too
    finally:
        language_var.reset(token)


def test_numbers_read_the_same_in_both_languages() -> None:
    message = text("Enter a price above 0 and up to {maximum}", maximum=Decimal("9999999999.99"))
    assert "9999999999.99" in message
    assert "9999999999.99" in render(message, CHINESE)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, ENGLISH),
        ("", ENGLISH),
        ("en", ENGLISH),
        ("en-US,en;q=0.9", ENGLISH),
        ("zh", CHINESE),
        ("zh-CN", CHINESE),
        ("zh-cn", CHINESE),
        ("zh-Hans", CHINESE),
        ("zh-Hans-CN", CHINESE),
        ("zh-CN,zh;q=0.9", CHINESE),
        ("fr-FR,fr;q=0.9", ENGLISH),  # nothing we write: English
        ("fr-FR,zh;q=0.8,en;q=0.5", CHINESE),  # the first by preference that we write
        ("en;q=0.5,zh-CN;q=0.8", CHINESE),  # q-values, not order
        ("zh-CN;q=0.4,en;q=0.9", ENGLISH),
        ("zh-CN;q=0.8,en;q=0.8", CHINESE),  # equal q: the order
        ("zh-CN;q=0,en", ENGLISH),  # q=0: not acceptable
        ("zh-TW", ENGLISH),  # traditional Chinese is not written
        ("*", ENGLISH),
        ("zh-CN;q=abc,en;q=0.1", ENGLISH),  # a malformed q counts as 0
        (";;,,", ENGLISH),
    ],
)
def test_accept_language(header: str | None, language: str) -> None:
    assert parse_accept_language(header) == language
