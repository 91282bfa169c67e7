"""Who may resume a conversation (pure); against the real bridge in test_security."""

from __future__ import annotations

from handoff.identity import cookie_value, from_cookie, may_resume, resume_token, token_matches

KEY = "resume-tokens|a-handoff-secret-0123"


def test_a_token_belongs_to_one_conversation_under_one_key():
    token = resume_token(KEY, "conv-aaaaaaaa")
    assert token == resume_token(KEY, "conv-aaaaaaaa") and len(token) == 24
    assert token != resume_token(KEY, "conv-bbbbbbbb") and token != resume_token(KEY + "x", "conv-aaaaaaaa")
    assert token_matches(KEY, "conv-aaaaaaaa", token)
    assert not token_matches(KEY, "conv-bbbbbbbb", token)
    assert not any(token_matches(KEY, "conv-aaaaaaaa", bad) for bad in (None, "", 5, token[:-1], "x" * 500))


def test_the_cookie_carries_the_id_and_its_token():
    value = cookie_value("conv-aaaaaaaa", "tok_en-1")
    assert from_cookie(f"other=1; nw_resume={value}; x=y") == ("conv-aaaaaaaa", "tok_en-1")
    assert from_cookie(None) is None and from_cookie("nw_resume=") is None and from_cookie("a=b") is None
    assert from_cookie('nw_resume="unterminated') is None


def test_who_may_resume():
    cid, token = "conv-aaaaaaaa", resume_token(KEY, "conv-aaaaaaaa")

    def may(**kw):
        args = {"held_by_socket": None, "supplied_token": None, "cookie": None, "id_only": False, **kw}
        return may_resume(KEY, cid, **args)

    assert not may()  # the id alone
    assert may(supplied_token=token)
    assert may(cookie=(cid, token))
    assert not may(cookie=("conv-bbbbbbbb", resume_token(KEY, "conv-bbbbbbbb")))  # another conversation's cookie
    assert not may(supplied_token=resume_token(KEY, "conv-bbbbbbbb"))
    assert may(held_by_socket=cid)  # a resync on the socket that holds it
    assert may(id_only=True)  # the documented mode for rasa-webchat
