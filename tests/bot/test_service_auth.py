"""Who the Rasa side answers: the action server's and the channel's token checks, the launcher's token (pure).

The real servers refusing a forged tracker and a tokenless message are tested end to end in
``tests/handoff/test_security.py``."""

from __future__ import annotations

import pytest

from bot import action_server, channels, serve


def test_the_action_server_wants_its_token_and_json():
    assert action_server.refusal("/webhook", "POST", "application/json", "t0ken", "t0ken") is None
    assert action_server.refusal("/webhook", "POST", "application/json; charset=utf-8", "t0ken", "t0ken") is None
    assert action_server.refusal("/webhook", "POST", "application/json", "", "t0ken")[0] == 401
    assert action_server.refusal("/webhook", "POST", "application/json", "t0ke", "t0ken")[0] == 401
    assert action_server.refusal("/webhook", "POST", "text/plain", "t0ken", "t0ken")[0] == 415
    assert action_server.refusal("/webhook", "POST", "application/json", "", "")[0] == 401  # no token: nobody
    assert action_server.refusal("/health", "GET", "", "", "t0ken") is None


def test_the_action_server_will_not_start_without_a_token():
    with pytest.raises(ValueError, match="ACTION_SERVER_TOKEN"):
        action_server.create_app("")


def test_the_channel_wants_the_server_token_and_json():
    assert channels.refusal("POST", "application/json", "tok", "tok") is None
    assert channels.refusal("POST", "application/json", "", "tok")[0] == 401
    assert channels.refusal("POST", "text/plain", "tok", "tok")[0] == 415
    assert channels.refusal("GET", "", "", "tok") is None  # its health route


def test_the_launcher_reads_the_token_from_the_environment_or_a_file(tmp_path):
    assert serve.auth_token({"RASA_AUTH_TOKEN": " abc \n"}) == "abc"
    secret = tmp_path / "token"
    secret.write_text("from-file\n")
    assert serve.auth_token({"RASA_AUTH_TOKEN_FILE": str(secret)}) == "from-file"
    assert serve.auth_token({}) == ""


def test_the_launcher_refuses_a_token_on_the_command_line():
    with pytest.raises(SystemExit, match="not on the command line"):
        serve.main(["--enable-api", "--auth-token=abc"])


@pytest.mark.parametrize("token", ["plain-token", "-starts-with-a-dash", "--looks-like-an-option"])
def test_the_launcher_hands_rasa_any_token_intact(token, monkeypatch):
    """``secrets.token_urlsafe`` begins a token with "-" once in 64: Rasa's parser must still get it."""
    import sys

    import rasa.__main__

    parsed = {}

    def rasa_main() -> None:
        parsed["token"] = rasa.__main__.create_argument_parser().parse_args(sys.argv[1:]).auth_token

    monkeypatch.setattr(rasa.__main__, "main", rasa_main)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setenv("RASA_AUTH_TOKEN", token)
    serve.main(["--enable-api", "--port", "5005"])
    assert parsed["token"] == token
