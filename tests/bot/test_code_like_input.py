"""The code-like input detector (pure)."""

from __future__ import annotations

import pytest

from bot.components.code_like_input import looks_like_code


@pytest.mark.parametrize("text", [
    "'; DROP TABLE orders; --", "ORD-100101' OR '1'='1", "SELECT * FROM users", "1; exec xp_cmdshell 'dir'",
    "<script>alert('hi')</script>", "<img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://x}",
    "../../../etc/passwd", "union select password from customers",
])
def test_attacks_are_code(text):
    assert looks_like_code(text)


@pytest.mark.parametrize("text", [
    "where is my order ORD-100101", "please delete my account", "can I update my address",
    "select a size for me?", "I want to drop my order, it's late -- really late", "is 2 < 3 items free shipping",
    "what's your return policy", "注文はどこですか", "", None, "my email is jane.doe@example.com",
    "I'd like to cancel order 100232 and get a refund",
])
def test_customer_words_are_not(text):
    assert not looks_like_code(text)
