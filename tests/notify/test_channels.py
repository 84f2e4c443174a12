"""Outbound channels against local servers: an SMTP sink and an HTTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from wagewatch.notify.channels import (
    DeliveryResult,
    Message,
    Recipient,
    SmtpChannel,
    WebhookChannel,
    channels,
    configure_from_env,
    deliver,
    format_text,
    register_channel,
    resolve_link,
    unregister_channel,
)

DUE = datetime(2026, 11, 24, 17, 30)
BASE = "https://wagewatch.example.gov.cn/ww"

MESSAGE = Message(
    title="案件 QX-2026-0012 已立案",
    body="上海某建筑劳务有限公司拖欠 37 名农民工工资 41.2 万元。\n请于截止时间前完成首次约谈。",
    link="/cases/12",
    due_at=DUE,
    level="红色预警",
    recipients=(
        Recipient("张伟", "zhangwei@rsj.example.gov.cn"),
        Recipient("李娜"),  # no mailbox
        Recipient("王芳", "wangfang@rsj.example.gov.cn"),
        Recipient("张伟（重复）", "ZhangWei@rsj.example.gov.cn"),  # same mailbox, other case
    ),
    event="case.opened",
)


@pytest.fixture(autouse=True)
def _empty_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts and ends with no registered channel and no HTTP proxy in the way."""
    for name in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    for channel in channels():
        unregister_channel(channel.key)
    yield
    for channel in channels():
        unregister_channel(channel.key)
    assert channels() == []


def free_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (kernel backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


# --------------------------------------------------------------------------- wording


def test_format_text_plain() -> None:
    assert format_text(MESSAGE, BASE) == (
        "案件 QX-2026-0012 已立案\n\n"
        "上海某建筑劳务有限公司拖欠 37 名农民工工资 41.2 万元。\n请于截止时间前完成首次约谈。\n\n"
        "截止时间：2026年11月24日 17:30\n"
        "预警等级：红色预警\n"
        "案件链接：https://wagewatch.example.gov.cn/ww/cases/12\n"
    )


def test_format_text_markdown() -> None:
    assert format_text(MESSAGE, BASE, markdown=True) == (
        "### 案件 QX-2026-0012 已立案\n\n"
        "上海某建筑劳务有限公司拖欠 37 名农民工工资 41.2 万元。\n\n"
        "请于截止时间前完成首次约谈。\n\n"
        "截止时间：2026年11月24日 17:30\n\n"
        "预警等级：红色预警\n\n"
        "[查看案件](https://wagewatch.example.gov.cn/ww/cases/12)"
    )


def test_format_text_leaves_out_what_is_missing() -> None:
    bare = Message(title="任务\n已逾期", body="", link="")
    assert format_text(bare, BASE) == "任务 已逾期\n"


def test_due_time_in_beijing_time() -> None:
    utc = Message("t", "b", "", due_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    assert "截止时间：2026年11月24日 17:30" in format_text(utc, "")
    early = Message("t", "b", "", due_at=datetime(2026, 1, 5, 8, 5))
    assert "截止时间：2026年1月5日 08:05" in format_text(early, "")


@pytest.mark.parametrize(
    ("link", "base", "expected"),
    [
        ("/cases/12", BASE, f"{BASE}/cases/12"),
        ("cases/12", BASE + "/", f"{BASE}/cases/12"),
        ("/cases/12", "", "/cases/12"),
        ("https://other.example/cases/1", BASE, "https://other.example/cases/1"),
        ("//other.example/cases/1", BASE, "//other.example/cases/1"),
        ("", BASE, ""),
    ],
)
def test_resolve_link(link: str, base: str, expected: str) -> None:
    assert resolve_link(link, base) == expected


# --------------------------------------------------------------------------- SMTP sink


@dataclass
class Received:
    """One message the sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SmtpSinkHandler)
        self.received: list[Received] = []
        self.credentials: tuple[str, str] | None = None
        self.rejected: set[str] = set()

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class SmtpSinkHandler(socketserver.StreamRequestHandler):
    """Speaks just enough SMTP for smtplib."""

    server: SmtpSink

    def reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    def handle(self) -> None:
        self.reply("220 sink ESMTP ready")
        mail_from: str | None = None
        rcpt_tos: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                auth = ["250-AUTH PLAIN"] if self.server.credentials else []
                self.reply("250-sink", *auth, "250 8BITMIME")
            elif verb == "HELO" or verb == "NOOP":
                self.reply("250 OK")
            elif verb == "AUTH":
                mechanism, _, initial = arg.partition(" ")
                _, user, password = base64.b64decode(initial).decode().split("\0")
                if mechanism.upper() == "PLAIN" and (user, password) == self.server.credentials:
                    self.reply("235 2.7.0 Authentication successful")
                else:
                    self.reply("535 5.7.8 Authentication credentials invalid")
            elif verb == "MAIL":
                mail_from, rcpt_tos = arg.partition("<")[2].partition(">")[0], []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = arg.partition("<")[2].partition(">")[0]
                if address in self.server.rejected:
                    self.reply("550 5.1.1 No such user")
                else:
                    rcpt_tos.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines: list[bytes] = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b".") else chunk)
                assert mail_from is not None
                self.server.received.append(Received(mail_from, rcpt_tos, b"".join(lines)))
                self.reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpt_tos = None, []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def smtp_channel(port: int, **kwargs: Any) -> SmtpChannel:
    return SmtpChannel(
        "127.0.0.1", port, "欠薪预警平台 <noreply@rsj.example.gov.cn>", base_url=BASE, **kwargs
    )


def test_smtp_sends_one_mail_to_every_recipient_with_an_address(smtp_sink: SmtpSink) -> None:
    result = smtp_channel(smtp_sink.port).send(MESSAGE)
    assert result == DeliveryResult("email", True, "已发送至 2 个邮箱")
    [received] = smtp_sink.received
    assert received.mail_from == "noreply@rsj.example.gov.cn"
    assert received.rcpt_tos == ["zhangwei@rsj.example.gov.cn", "wangfang@rsj.example.gov.cn"]
    mail = received.parsed()
    assert mail["Subject"] == "案件 QX-2026-0012 已立案"
    assert [(a.display_name, a.addr_spec) for a in mail["To"].addresses] == [
        ("张伟", "zhangwei@rsj.example.gov.cn"),
        ("王芳", "wangfang@rsj.example.gov.cn"),
    ]
    assert mail["From"].addresses[0].display_name == "欠薪预警平台"
    assert mail["X-Wagewatch-Event"] == "case.opened"
    assert mail["Message-ID"].endswith("@rsj.example.gov.cn>")
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert body == format_text(MESSAGE, BASE)
    assert "截止时间：2026年11月24日 17:30" in body
    assert "https://wagewatch.example.gov.cn/ww/cases/12" in body


def test_smtp_without_any_address_is_skipped(smtp_sink: SmtpSink) -> None:
    message = Message("任务已逾期", "请尽快处理。", "/tasks/3", recipients=(Recipient("李娜"),))
    assert smtp_channel(smtp_sink.port).send(message) == DeliveryResult(
        "email", True, "无收件人邮箱"
    )
    assert smtp_sink.received == []


def test_smtp_logs_in(smtp_sink: SmtpSink) -> None:
    smtp_sink.credentials = ("robot", "s3cret pass")
    result = smtp_channel(smtp_sink.port, username="robot", password="s3cret pass").send(MESSAGE)
    assert result.ok, result.detail
    assert len(smtp_sink.received) == 1


def test_smtp_wrong_password(smtp_sink: SmtpSink) -> None:
    smtp_sink.credentials = ("robot", "right")
    result = smtp_channel(smtp_sink.port, username="robot", password="wrong").send(MESSAGE)
    assert not result.ok
    assert result.detail.startswith("邮件服务器登录失败：535")
    assert smtp_sink.received == []


def test_smtp_starttls_not_offered(smtp_sink: SmtpSink) -> None:
    result = smtp_channel(smtp_sink.port, starttls=True).send(MESSAGE)
    assert not result.ok
    assert result.detail.startswith("启用 STARTTLS 加密失败：")


def test_smtp_some_recipients_refused(smtp_sink: SmtpSink) -> None:
    smtp_sink.rejected = {"wangfang@rsj.example.gov.cn"}
    result = smtp_channel(smtp_sink.port).send(MESSAGE)
    assert result == DeliveryResult("email", False, "部分收件人被拒收：wangfang@rsj.example.gov.cn")
    assert smtp_sink.received[0].rcpt_tos == ["zhangwei@rsj.example.gov.cn"]


def test_smtp_all_recipients_refused(smtp_sink: SmtpSink) -> None:
    smtp_sink.rejected = {"zhangwei@rsj.example.gov.cn", "wangfang@rsj.example.gov.cn"}
    result = smtp_channel(smtp_sink.port).send(MESSAGE)
    assert not result.ok
    assert result.detail.startswith("发送邮件失败：所有收件人均被拒收")


def test_smtp_unreachable_server() -> None:
    result = smtp_channel(free_port()).send(MESSAGE)
    assert result == DeliveryResult("email", False, "连接邮件服务器失败：连接被拒绝")


def test_smtp_silent_server_times_out(silent_port: int) -> None:
    result = smtp_channel(silent_port, timeout=0.2).send(MESSAGE)
    assert result == DeliveryResult("email", False, "连接邮件服务器失败：超时（0.2 秒内无响应）")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("", 25, "a@b.cn"), {}),
        (("mail", 0, "a@b.cn"), {}),
        (("mail", 25, "nobody"), {}),
        (("mail", 25, "a@b.cn"), {"password": "x"}),
        (("mail", 25, "a@b.cn"), {"timeout": 0}),
        (("mail", 25, "a@b.cn"), {"username": "u", "password": "口令"}),
    ],
)
def test_smtp_rejects_bad_settings(args: tuple[str, int, str], kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SmtpChannel(*args, **kwargs)  # type: ignore[arg-type]


def test_smtp_repr_hides_password() -> None:
    channel = SmtpChannel("mail", 25, "a@b.cn", username="u", password="hunter2")
    assert "hunter2" not in repr(channel)


# --------------------------------------------------------------------------- webhook server


@dataclass
class Hit:
    """One request the webhook server received."""

    path: str
    content_type: str
    body: bytes

    def json(self) -> object:
        return json.loads(self.body.decode("utf-8"))

    def query(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)


class HookServer(ThreadingHTTPServer):
    """Records every POST and answers with `status` and `reply`."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.hits: list[Hit] = []
        self.status = 200
        self.reply = b'{"errcode":0,"errmsg":"ok"}'

    def url(self, path: str = "/robot/send?access_token=tok123") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class HookHandler(BaseHTTPRequestHandler):
    """Stores the request and sends the configured reply."""

    server: HookServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.hits.append(Hit(self.path, self.headers["Content-Type"], body))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.reply)))
        self.end_headers()
        self.wfile.write(self.server.reply)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[HookServer]:
    server = HookServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_wecom_payload(hook: HookServer) -> None:
    channel = WebhookChannel(hook.url(), "wecom", base_url=BASE)
    assert (channel.key, channel.label) == ("wecom", "企业微信群机器人")
    assert channel.send(MESSAGE) == DeliveryResult("wecom", True, "已发送")
    [hit] = hook.hits
    assert hit.path == "/robot/send?access_token=tok123"
    assert hit.content_type == "application/json; charset=utf-8"
    assert hit.json() == {
        "msgtype": "markdown",
        "markdown": {"content": format_text(MESSAGE, BASE, markdown=True)},
    }


def test_wecom_content_is_cut_to_4096_bytes(hook: HookServer) -> None:
    long = Message("长消息", "欠" * 3000, "/cases/1")
    assert WebhookChannel(hook.url(), "wecom").send(long).ok
    content = hook.hits[0].json()["markdown"]["content"]  # type: ignore[index]
    assert len(content.encode("utf-8")) <= 4096
    assert content.endswith("…")


def test_dingtalk_payload_without_secret(hook: HookServer) -> None:
    channel = WebhookChannel(hook.url(), "dingtalk", base_url=BASE)
    assert (channel.key, channel.label) == ("dingtalk", "钉钉群机器人")
    assert channel.send(MESSAGE).ok
    [hit] = hook.hits
    assert hit.path == "/robot/send?access_token=tok123"
    assert hit.json() == {
        "msgtype": "markdown",
        "markdown": {
            "title": "案件 QX-2026-0012 已立案",
            "text": format_text(MESSAGE, BASE, markdown=True),
        },
    }


def test_dingtalk_signature(hook: HookServer) -> None:
    secret = "SEC1f2e3d4c5b6a7980a1b2c3d4e5f60718293a4b5c6d7e8f9"
    now = 1_795_000_000.123
    channel = WebhookChannel(hook.url(), "dingtalk", secret=secret, clock=lambda: now)
    assert channel.send(MESSAGE).ok
    [hit] = hook.hits
    query = hit.query()
    assert query["access_token"] == ["tok123"]
    assert query["timestamp"] == ["1795000000123"]
    # recompute the documented 加签: base64(HmacSHA256(secret, "{timestamp}\n{secret}"))
    digest = hmac.new(secret.encode(), f"1795000000123\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    # and it travels url-encoded, as DingTalk requires
    raw_sign = hit.path.split("sign=", 1)[1]
    assert raw_sign == urllib.parse.quote_plus(base64.b64encode(digest).decode())


def test_dingtalk_signature_without_query(hook: HookServer) -> None:
    channel = WebhookChannel(hook.url("/hook"), "dingtalk", secret="abc", clock=lambda: 1.0)
    assert channel.send(MESSAGE).ok
    assert hook.hits[0].path.startswith("/hook?timestamp=1000&sign=")


def test_json_payload(hook: HookServer) -> None:
    hook.reply = b""
    channel = WebhookChannel(hook.url("/hook"), "json", base_url=BASE)
    assert (channel.key, channel.label) == ("webhook", "通用 Webhook（JSON）")
    assert channel.send(MESSAGE) == DeliveryResult("webhook", True, "已发送")
    assert hook.hits[0].json() == {
        "title": "案件 QX-2026-0012 已立案",
        "body": MESSAGE.body,
        "link": "https://wagewatch.example.gov.cn/ww/cases/12",
        "due_at": "2026-11-24T17:30:00",
        "level": "红色预警",
        "event": "case.opened",
    }


def test_json_payload_without_due_time(hook: HookServer) -> None:
    message = Message("t", "b", "/x", event="task.overdue")
    assert WebhookChannel(hook.url("/hook"), "json").send(message).ok
    assert hook.hits[0].json() == {
        "title": "t",
        "body": "b",
        "link": "/x",
        "due_at": None,
        "level": None,
        "event": "task.overdue",
    }


def test_http_500_is_a_failure(hook: HookServer) -> None:
    hook.status, hook.reply = 500, b"internal error"
    result = WebhookChannel(hook.url(), "json").send(MESSAGE)
    assert result == DeliveryResult("webhook", False, "Webhook 返回 HTTP 500：internal error")


@pytest.mark.parametrize("flavour", ["wecom", "dingtalk", "json"])
def test_robot_errcode_is_a_failure(hook: HookServer, flavour: str) -> None:
    hook.reply = b'{"errcode":310000,"errmsg":"sign not match"}'
    result = WebhookChannel(hook.url(), flavour).send(MESSAGE)  # type: ignore[arg-type]
    assert not result.ok
    assert result.detail == "机器人返回错误：errcode=310000，errmsg=sign not match"


def test_robot_reply_that_is_not_json_is_a_failure(hook: HookServer) -> None:
    hook.reply = b"<html>portal</html>"
    result = WebhookChannel(hook.url(), "wecom").send(MESSAGE)
    assert result == DeliveryResult("wecom", False, "机器人回复无法识别：<html>portal</html>")


def test_webhook_unreachable_port_does_not_raise() -> None:
    result = WebhookChannel(f"http://127.0.0.1:{free_port()}/hook", "wecom").send(MESSAGE)
    assert result == DeliveryResult("wecom", False, "连接 Webhook 失败：连接被拒绝")


def test_webhook_silent_server_times_out(silent_port: int) -> None:
    channel = WebhookChannel(f"http://127.0.0.1:{silent_port}/hook", "json", timeout=0.2)
    result = channel.send(MESSAGE)
    assert result == DeliveryResult("webhook", False, "连接 Webhook 失败：超时（0.2 秒内无响应）")


@pytest.mark.parametrize(
    ("url", "flavour", "secret"),
    [
        ("ftp://robot/x", "json", None),
        ("/relative", "json", None),
        ("https://robot/x", "slack", None),
        ("https://robot/x", "wecom", "secret"),
    ],
)
def test_webhook_rejects_bad_settings(url: str, flavour: str, secret: str | None) -> None:
    with pytest.raises(ValueError):
        WebhookChannel(url, flavour, secret)  # type: ignore[arg-type]


def test_webhook_repr_hides_token() -> None:
    channel = WebhookChannel("https://oapi.dingtalk.com/robot/send?access_token=t0k", "dingtalk")
    assert "t0k" not in repr(channel)


# --------------------------------------------------------------------------- registry


@dataclass
class FakeChannel:
    """A deployment's own channel: records messages, or raises when told to."""

    key: str
    label: str = "测试通道"
    fail: bool = False
    sent: list[Message] = field(default_factory=list)

    def send(self, message: Message) -> DeliveryResult:
        if self.fail:
            raise RuntimeError("boom")
        self.sent.append(message)
        return DeliveryResult(self.key, True, "ok")


def test_register_and_deliver_in_order() -> None:
    first, second = FakeChannel("sms"), FakeChannel("fax")
    assert register_channel(first) is first
    register_channel(second)
    assert channels() == [first, second]
    assert deliver(MESSAGE) == [
        DeliveryResult("sms", True, "ok"),
        DeliveryResult("fax", True, "ok"),
    ]
    assert first.sent == [MESSAGE] and second.sent == [MESSAGE]


def test_deliver_with_no_channel() -> None:
    assert deliver(MESSAGE) == []


def test_duplicate_key_needs_replace() -> None:
    register_channel(FakeChannel("sms"))
    with pytest.raises(ValueError, match="已注册"):
        register_channel(FakeChannel("sms"))
    newer = FakeChannel("sms", label="新短信")
    register_channel(newer, replace=True)
    assert channels() == [newer]


def test_unregister() -> None:
    register_channel(FakeChannel("sms"))
    unregister_channel("sms")
    assert channels() == []
    with pytest.raises(KeyError):
        unregister_channel("sms")


def test_register_needs_a_key_and_send() -> None:
    with pytest.raises(ValueError):
        register_channel(FakeChannel(""))

    class NoSend:
        key = "mute"
        label = "无发送"

    with pytest.raises(TypeError):
        register_channel(NoSend())  # type: ignore[arg-type]


def test_a_raising_channel_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    broken, fine = FakeChannel("broken", fail=True), FakeChannel("fine")
    register_channel(broken)
    register_channel(fine)
    results = deliver(MESSAGE)
    assert results == [
        DeliveryResult("broken", False, "通知通道内部错误：RuntimeError('boom')"),
        DeliveryResult("fine", True, "ok"),
    ]
    assert fine.sent == [MESSAGE]
    assert "broken" in caplog.text


def test_down_builtin_channels_give_results_not_errors() -> None:
    register_channel(smtp_channel(free_port()))
    register_channel(WebhookChannel(f"http://127.0.0.1:{free_port()}/hook", "dingtalk"))
    results = deliver(MESSAGE)
    assert [(r.channel, r.ok) for r in results] == [("email", False), ("dingtalk", False)]


# --------------------------------------------------------------------------- settings


def test_configure_from_env_with_nothing_set() -> None:
    assert configure_from_env({}) == []
    assert channels() == []


def test_configure_from_env_registers_builtins(smtp_sink: SmtpSink, hook: HookServer) -> None:
    smtp_sink.credentials = ("robot", "pw")
    env = {
        "WAGEWATCH_SMTP_HOST": "127.0.0.1",
        "WAGEWATCH_SMTP_PORT": str(smtp_sink.port),
        "WAGEWATCH_SMTP_SENDER": "noreply@rsj.example.gov.cn",
        "WAGEWATCH_SMTP_USER": "robot",
        "WAGEWATCH_SMTP_PASSWORD": "pw",
        "WAGEWATCH_SMTP_STARTTLS": "false",
        "WAGEWATCH_WEBHOOK_URL": hook.url(),
        "WAGEWATCH_WEBHOOK_FLAVOUR": "dingtalk",
        "WAGEWATCH_WEBHOOK_SECRET": "SECabc",
        "WAGEWATCH_BASE_URL": BASE,
    }
    assert configure_from_env(env) == ["email", "dingtalk"]
    smtp, robot = channels()
    assert isinstance(smtp, SmtpChannel) and isinstance(robot, WebhookChannel)
    assert (smtp.port, smtp.username, smtp.starttls, smtp.timeout) == (
        smtp_sink.port,
        "robot",
        False,
        5,
    )
    assert (robot.flavour, robot.secret, robot.timeout, robot.base_url) == (
        "dingtalk",
        "SECabc",
        5,
        BASE,
    )

    results = deliver(MESSAGE)
    assert [r.ok for r in results] == [True, True], results
    assert f"{BASE}/cases/12" in smtp_sink.received[0].parsed().get_content()
    assert "sign" in hook.hits[0].query()


def test_configure_from_env_defaults() -> None:
    env = {
        "WAGEWATCH_SMTP_HOST": "mail.rsj.example.gov.cn",
        "WAGEWATCH_SMTP_SENDER": "noreply@rsj.example.gov.cn",
        "WAGEWATCH_SMTP_STARTTLS": "yes",
        "WAGEWATCH_WEBHOOK_URL": "https://hooks.example.gov.cn/wagewatch",
        "WAGEWATCH_WEBHOOK_FLAVOUR": "",
    }
    assert configure_from_env(env) == ["email", "webhook"]
    smtp, hook_channel = channels()
    assert isinstance(smtp, SmtpChannel) and isinstance(hook_channel, WebhookChannel)
    assert (smtp.port, smtp.username, smtp.password, smtp.starttls) == (25, None, None, True)
    assert (hook_channel.flavour, hook_channel.base_url) == ("json", "")


def test_configure_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "WAGEWATCH_WEBHOOK_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    )
    monkeypatch.setenv("WAGEWATCH_WEBHOOK_FLAVOUR", "WeCom")
    monkeypatch.delenv("WAGEWATCH_SMTP_HOST", raising=False)
    for name in ("PORT", "SENDER", "USER", "PASSWORD", "STARTTLS"):
        monkeypatch.delenv(f"WAGEWATCH_SMTP_{name}", raising=False)
    monkeypatch.delenv("WAGEWATCH_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("WAGEWATCH_BASE_URL", raising=False)
    assert configure_from_env() == ["wecom"]


SMTP_OK = {"WAGEWATCH_SMTP_HOST": "mail", "WAGEWATCH_SMTP_SENDER": "noreply@rsj.example.gov.cn"}
HOOK_OK = {"WAGEWATCH_WEBHOOK_URL": "https://hooks.example.gov.cn/x"}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({**SMTP_OK, "WAGEWATCH_SMTP_PORT": "abc"}, "WAGEWATCH_SMTP_PORT"),
        ({**SMTP_OK, "WAGEWATCH_SMTP_PORT": "70000"}, "WAGEWATCH_SMTP_PORT"),
        ({**SMTP_OK, "WAGEWATCH_SMTP_STARTTLS": "maybe"}, "WAGEWATCH_SMTP_STARTTLS"),
        ({"WAGEWATCH_SMTP_HOST": "mail"}, "WAGEWATCH_SMTP_SENDER"),
        ({**SMTP_OK, "WAGEWATCH_SMTP_SENDER": "noreply"}, "WAGEWATCH_SMTP_SENDER"),
        ({**SMTP_OK, "WAGEWATCH_SMTP_USER": "robot"}, "WAGEWATCH_SMTP_PASSWORD"),
        ({**SMTP_OK, "WAGEWATCH_SMTP_PASSWORD": "pw"}, "WAGEWATCH_SMTP_USER"),
        (
            {**SMTP_OK, "WAGEWATCH_SMTP_USER": "u", "WAGEWATCH_SMTP_PASSWORD": "口令"},
            "WAGEWATCH_SMTP_PASSWORD",
        ),
        ({"WAGEWATCH_SMTP_SENDER": "a@b.cn"}, "WAGEWATCH_SMTP_HOST"),
        ({"WAGEWATCH_WEBHOOK_URL": "hooks.example/x"}, "WAGEWATCH_WEBHOOK_URL"),
        ({**HOOK_OK, "WAGEWATCH_WEBHOOK_FLAVOUR": "slack"}, "WAGEWATCH_WEBHOOK_FLAVOUR"),
        ({**HOOK_OK, "WAGEWATCH_WEBHOOK_SECRET": "s"}, "WAGEWATCH_WEBHOOK_SECRET"),
        ({"WAGEWATCH_WEBHOOK_FLAVOUR": "wecom"}, "WAGEWATCH_WEBHOOK_URL"),
        ({**HOOK_OK, "WAGEWATCH_BASE_URL": "wagewatch.local"}, "WAGEWATCH_BASE_URL"),
    ],
)
def test_configure_from_env_bad_values(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ValueError, match=variable):
        configure_from_env({**HOOK_OK, **env} if "WEBHOOK" not in variable else env)
    assert channels() == []  # nothing half-registered


def test_configure_from_env_does_not_take_over_a_registered_key() -> None:
    mine = FakeChannel("email")
    register_channel(mine)
    with pytest.raises(ValueError, match="email"):
        configure_from_env({**SMTP_OK, **HOOK_OK})
    assert channels() == [mine]


def test_configured_timeout_is_five_seconds() -> None:
    configure_from_env({**SMTP_OK, **HOOK_OK})
    assert [getattr(c, "timeout", None) for c in channels()] == [5.0, 5.0]


def test_naive_and_aware_due_times_serialise(hook: HookServer) -> None:
    aware = Message("t", "b", "/x", due_at=DUE.replace(tzinfo=timezone(timedelta(hours=8))))
    assert WebhookChannel(hook.url("/h"), "json").send(aware).ok
    assert hook.hits[0].json()["due_at"] == "2026-11-24T17:30:00+08:00"  # type: ignore[index]
