"""Outbound notification channels (e-mail, WeCom/DingTalk robots, JSON webhooks) and their registry.

Every channel, built in or added by a deployment, is registered in one place
(`register_channel`) and `deliver` sends a message through all of them. A channel never raises
for a network problem: it answers a `DeliveryResult` with `ok=False` and a Chinese reason, so
the case transaction that triggered the notification cannot fail because a channel is down.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import os
import smtplib
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from typing import Any, Literal, Protocol, cast, get_args

__all__ = [
    "CHINA_TZ",
    "DEFAULT_TIMEOUT",
    "Channel",
    "DeliveryResult",
    "Flavour",
    "Message",
    "Recipient",
    "SmtpChannel",
    "WebhookChannel",
    "channels",
    "configure_from_env",
    "deliver",
    "format_text",
    "register_channel",
    "resolve_link",
    "unregister_channel",
]

logger = logging.getLogger(__name__)

CHINA_TZ = timezone(timedelta(hours=8), "北京时间")
"""Time zone used to show due times (China has no daylight saving time)."""

DEFAULT_TIMEOUT = 5.0
"""Seconds a channel waits for a server before giving up."""

Flavour = Literal["wecom", "dingtalk", "json"]
"""Payload format of a webhook: WeCom group robot, DingTalk group robot or plain JSON."""

_FLAVOURS: tuple[str, ...] = get_args(Flavour)
_WEBHOOK_KEYS = {"wecom": "wecom", "dingtalk": "dingtalk", "json": "webhook"}
_WEBHOOK_LABELS = {
    "wecom": "企业微信群机器人",
    "dingtalk": "钉钉群机器人",
    "json": "通用 Webhook（JSON）",
}
_WECOM_MAX_BYTES = 4096  # documented limit of a WeCom robot's markdown content
_REPLY_LIMIT = 65536  # bytes of a webhook reply that are read


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class Recipient:
    """A person to notify; `email` is None when the person has no mailbox."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class Message:
    """One notification: what happened, what is due, and where the case is."""

    title: str
    body: str
    link: str
    due_at: datetime | None = None
    level: str | None = None
    recipients: tuple[Recipient, ...] = ()
    event: str = ""


@dataclass(frozen=True)
class DeliveryResult:
    """Outcome of sending one message through one channel (`detail` is Chinese)."""

    channel: str
    ok: bool
    detail: str


class Channel(Protocol):
    """An outbound notification channel; `send` must not raise for network errors."""

    key: str
    label: str

    def send(self, message: Message) -> DeliveryResult:
        """Send the message and report how it went."""
        ...


# --------------------------------------------------------------------------- wording


def resolve_link(link: str, base_url: str) -> str:
    """The link made absolute with `base_url` when it is relative (unchanged otherwise)."""
    if not link or not base_url:
        return link
    if urllib.parse.urlsplit(link).scheme or link.startswith("//"):
        return link
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def _format_due(due_at: datetime) -> str:
    """A due time as 2026年11月24日 17:30 (aware times are shown in Beijing time)."""
    if due_at.tzinfo is not None and due_at.utcoffset() is not None:
        due_at = due_at.astimezone(CHINA_TZ)
    return f"{due_at.year}年{due_at.month}月{due_at.day}日 {due_at:%H:%M}"


def _one_line(text: str) -> str:
    """Text with line breaks folded into spaces (for subjects and headings)."""
    return " ".join(text.split())


def format_text(message: Message, base_url: str = "", *, markdown: bool = False) -> str:
    """The message as text shared by all channels: title, body, due time, level and link."""
    title = _one_line(message.title)
    facts: list[str] = []
    if message.due_at is not None:
        facts.append(f"截止时间：{_format_due(message.due_at)}")
    if message.level:
        facts.append(f"预警等级：{_one_line(message.level)}")
    url = resolve_link(message.link.strip(), base_url)
    if markdown:
        parts = [f"### {title}"]
        parts += [line.strip() for line in message.body.splitlines() if line.strip()]
        parts += facts
        if url:
            parts.append(f"[查看案件]({url})")
        return "\n\n".join(parts)
    if url:
        facts.append(f"案件链接：{url}")
    blocks = [title, message.body.strip(), "\n".join(facts)]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _describe(exc: BaseException, timeout: float) -> str:
    """A short Chinese description of a network or protocol error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "所有收件人均被拒收（" + "、".join(sorted(exc.recipients)) + "）"
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, OSError):  # smtplib wraps a timeout or reset this way
            return _describe(exc.__context__, timeout)
        return f"服务器断开了连接（{exc}）" if str(exc) else "服务器断开了连接"
    if isinstance(exc, TimeoutError):
        return f"超时（{timeout:g} 秒内无响应）"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(exc, socket.gaierror):
        return f"无法解析主机名（{exc}）"
    if isinstance(exc, ssl.SSLError):
        return f"TLS 错误（{exc}）"
    return str(exc) or type(exc).__name__


def _is_http_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) URL with a host."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --------------------------------------------------------------------------- e-mail


class SmtpChannel:
    """Sends one UTF-8 e-mail per message to every recipient that has an address."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        base_url: str = "",
        *,
        key: str = "email",
        label: str = "电子邮件",
    ) -> None:
        if not host.strip():
            raise ValueError("邮件服务器地址不能为空")
        if not 1 <= port <= 65535:
            raise ValueError(f"邮件服务器端口必须在 1–65535 之间，实际为 {port}")
        if "@" not in parseaddr(sender)[1]:
            raise ValueError(f"发件人地址无效：{sender!r}")
        if password is not None and not username:
            raise ValueError("设置了邮件密码但没有设置用户名")
        if not (username or "").isascii() or not (password or "").isascii():
            raise ValueError("邮件用户名和密码只能含 ASCII 字符（smtplib 的登录方式不支持中文）")
        if timeout <= 0:
            raise ValueError(f"超时时间必须大于 0 秒，实际为 {timeout}")
        self.key = key
        self.label = label
        self.host = host.strip()
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.base_url = base_url

    def __repr__(self) -> str:
        return f"SmtpChannel(key={self.key!r}, host={self.host!r}, port={self.port})"

    def compose(self, message: Message) -> EmailMessage | None:
        """The e-mail for a message, or None when no recipient has an address."""
        mailboxes = _mailboxes(message)
        if not mailboxes:
            return None
        mail = EmailMessage()
        mail["Subject"] = _one_line(message.title)
        mail["From"] = self.sender
        mail["To"] = ", ".join(formataddr((name, address)) for address, name in mailboxes.items())
        mail["Date"] = formatdate(localtime=True)
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or None
        mail["Message-ID"] = make_msgid(domain=domain)
        if message.event:
            mail["X-Wagewatch-Event"] = _one_line(message.event)
        mail.set_content(format_text(message, self.base_url), charset="utf-8", cte="base64")
        return mail

    def send(self, message: Message) -> DeliveryResult:
        """Send the e-mail; network and server errors give ok=False, never an exception."""
        mail = self.compose(message)
        if mail is None:
            return DeliveryResult(self.key, True, "无收件人邮箱")
        to_addrs = list(_mailboxes(message))
        stage = "连接邮件服务器失败"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    stage = "启用 STARTTLS 加密失败"
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    stage = "邮件服务器登录失败"
                    smtp.login(self.username, self.password or "")
                stage = "发送邮件失败"
                refused = smtp.send_message(
                    mail, from_addr=parseaddr(self.sender)[1], to_addrs=to_addrs
                )
        except (OSError, smtplib.SMTPException, UnicodeError) as exc:
            return DeliveryResult(self.key, False, f"{stage}：{_describe(exc, self.timeout)}")
        if refused:
            rejected = "、".join(sorted(refused))
            return DeliveryResult(self.key, False, f"部分收件人被拒收：{rejected}")
        return DeliveryResult(self.key, True, f"已发送至 {len(to_addrs)} 个邮箱")


def _mailboxes(message: Message) -> dict[str, str]:
    """Address → name of the recipients that have an e-mail (first one wins, any case)."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    for recipient in message.recipients:
        address = "".join((recipient.email or "").split())
        if address and address.lower() not in seen:
            seen.add(address.lower())
            found[address] = _one_line(recipient.name)
    return found


# --------------------------------------------------------------------------- webhooks


def _truncate_utf8(text: str, limit: int) -> str:
    """Text cut to at most `limit` UTF-8 bytes, ending with … when cut."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", "ignore")
    return cut + "…"


def _dingtalk_sign(secret: str, timestamp: str) -> str:
    """DingTalk 加签: base64 of HmacSHA256(key=secret, f"{timestamp}\\n{secret}")."""
    string_to_sign = f"{timestamp}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class WebhookChannel:
    """POSTs the message as JSON to a WeCom robot, a DingTalk robot or any JSON webhook."""

    def __init__(
        self,
        url: str,
        flavour: Flavour,
        secret: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        base_url: str = "",
        *,
        key: str | None = None,
        label: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if flavour not in _FLAVOURS:
            raise ValueError(f"Webhook 格式只能是 wecom、dingtalk 或 json，实际为 {flavour!r}")
        if not _is_http_url(url):
            raise ValueError("Webhook 地址必须是以 http:// 或 https:// 开头的完整地址")
        if secret and flavour != "dingtalk":
            raise ValueError("只有钉钉机器人（dingtalk）支持加签密钥")
        if timeout <= 0:
            raise ValueError(f"超时时间必须大于 0 秒，实际为 {timeout}")
        self.key = key or _WEBHOOK_KEYS[flavour]
        self.label = label or _WEBHOOK_LABELS[flavour]
        self.url = url
        self.flavour: Flavour = flavour
        self.secret = secret or None
        self.timeout = timeout
        self.base_url = base_url
        self._clock = clock

    def __repr__(self) -> str:
        host = urllib.parse.urlsplit(self.url).netloc  # the query holds the robot's token
        return f"WebhookChannel(key={self.key!r}, flavour={self.flavour!r}, host={host!r})"

    def payload(self, message: Message) -> dict[str, Any]:
        """The JSON body posted for a message, in this webhook's format."""
        if self.flavour == "wecom":
            text = format_text(message, self.base_url, markdown=True)
            return {
                "msgtype": "markdown",
                "markdown": {"content": _truncate_utf8(text, _WECOM_MAX_BYTES)},
            }
        if self.flavour == "dingtalk":
            text = format_text(message, self.base_url, markdown=True)
            return {
                "msgtype": "markdown",
                "markdown": {"title": _one_line(message.title), "text": text},
            }
        return {
            "title": message.title,
            "body": message.body,
            "link": resolve_link(message.link, self.base_url),
            "due_at": message.due_at.isoformat() if message.due_at is not None else None,
            "level": message.level,
            "event": message.event,
        }

    def target_url(self) -> str:
        """The URL to post to, with DingTalk's timestamp and sign when a secret is set."""
        if self.flavour != "dingtalk" or not self.secret:
            return self.url
        timestamp = str(int(self._clock() * 1000))
        sign = urllib.parse.quote_plus(_dingtalk_sign(self.secret, timestamp))
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        return f"{self.url}{separator}timestamp={timestamp}&sign={sign}"

    def send(self, message: Message) -> DeliveryResult:
        """Post the message; HTTP errors and robot error codes give ok=False, never raise."""
        data = json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.target_url(),
            data=data,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "wagewatch"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw: bytes = response.read(_REPLY_LIMIT)
        except urllib.error.HTTPError as exc:
            try:
                reply = exc.read(1000).decode("utf-8", "replace").strip()
            except (OSError, http.client.HTTPException):
                reply = ""
            finally:
                exc.close()
            detail = f"Webhook 返回 HTTP {exc.code}" + (f"：{reply[:200]}" if reply else "")
            return DeliveryResult(self.key, False, detail)
        except urllib.error.URLError as exc:
            reason = exc.reason
            text = _describe(reason, self.timeout) if isinstance(reason, BaseException) else reason
            return DeliveryResult(self.key, False, f"连接 Webhook 失败：{text}")
        except (OSError, http.client.HTTPException) as exc:
            return DeliveryResult(
                self.key, False, f"连接 Webhook 失败：{_describe(exc, self.timeout)}"
            )
        return self._judge(raw)

    def _judge(self, raw: bytes) -> DeliveryResult:
        """Read a 2xx reply: a robot's errcode other than 0 is a failure."""
        text = raw.decode("utf-8", "replace").strip()
        try:
            reply = json.loads(text) if text else None
        except ValueError:
            reply = None
        if isinstance(reply, dict) and "errcode" in reply:
            errcode = reply["errcode"]
            if errcode not in (0, "0"):
                errmsg = reply.get("errmsg", "")
                return DeliveryResult(
                    self.key, False, f"机器人返回错误：errcode={errcode}，errmsg={errmsg}"
                )
        elif self.flavour != "json":
            return DeliveryResult(self.key, False, f"机器人回复无法识别：{text[:200]}")
        return DeliveryResult(self.key, True, "已发送")


# --------------------------------------------------------------------------- registry

_registry: dict[str, Channel] = {}
_lock = threading.Lock()


def register_channel(channel: Channel, *, replace: bool = False) -> Channel:
    """Register a channel under its key; a taken key is an error unless `replace` is true."""
    key = getattr(channel, "key", None)
    if not isinstance(key, str) or not key.strip():
        raise ValueError("通知通道必须有非空的 key")
    if not callable(getattr(channel, "send", None)):
        raise TypeError(f"通知通道“{key}”没有 send(message) 方法")
    with _lock:
        if key in _registry and not replace:
            raise ValueError(f"通知通道“{key}”已注册；如要替换请传 replace=True")
        _registry[key] = channel
    return channel


def unregister_channel(key: str) -> None:
    """Remove the channel registered under `key` (KeyError when there is none)."""
    with _lock:
        if key not in _registry:
            raise KeyError(f"没有注册名为“{key}”的通知通道")
        del _registry[key]


def channels() -> list[Channel]:
    """The registered channels, in registration order."""
    with _lock:
        return list(_registry.values())


def deliver(message: Message) -> list[DeliveryResult]:
    """Send a message through every registered channel; never raises for a failing channel."""
    results: list[DeliveryResult] = []
    for channel in channels():
        try:
            result = channel.send(message)
        except Exception as exc:  # a deployment's channel must not break the case transaction
            logger.exception("通知通道 %s 出错", channel.key)
            result = DeliveryResult(channel.key, False, f"通知通道内部错误：{exc!r}")
        if not isinstance(result, DeliveryResult):
            result = DeliveryResult(channel.key, False, "通知通道没有返回发送结果")
        if not result.ok:
            logger.warning("通知通道 %s 发送失败：%s", channel.key, result.detail)
        results.append(result)
    return results


# --------------------------------------------------------------------------- settings

_SMTP_VARS = (
    "WAGEWATCH_SMTP_PORT",
    "WAGEWATCH_SMTP_SENDER",
    "WAGEWATCH_SMTP_USER",
    "WAGEWATCH_SMTP_PASSWORD",
    "WAGEWATCH_SMTP_STARTTLS",
)
_WEBHOOK_VARS = ("WAGEWATCH_WEBHOOK_FLAVOUR", "WAGEWATCH_WEBHOOK_SECRET")
_TRUE = {"1", "true", "yes", "on", "是"}
_FALSE = {"0", "false", "no", "off", "否"}


def _flag(env: Mapping[str, str], name: str) -> bool:
    """A yes/no setting (unset or empty is no)."""
    value = env.get(name, "").strip().lower()
    if not value or value in _FALSE:
        return False
    if value in _TRUE:
        return True
    raise ValueError(f"{name} 只能是 true 或 false（也可写 1/0、yes/no、on/off），实际为“{value}”")


def _smtp_from_env(env: Mapping[str, str], base_url: str) -> SmtpChannel | None:
    """The e-mail channel described by WAGEWATCH_SMTP_*, or None when no host is set."""
    host = env.get("WAGEWATCH_SMTP_HOST", "").strip()
    if not host:
        stray = [name for name in _SMTP_VARS if env.get(name, "").strip()]
        if stray:
            raise ValueError(f"设置了 {stray[0]}，但没有设置 WAGEWATCH_SMTP_HOST（邮件服务器地址）")
        return None
    port_text = env.get("WAGEWATCH_SMTP_PORT", "").strip() or "25"
    try:
        port = int(port_text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise ValueError(f"WAGEWATCH_SMTP_PORT 必须是 1–65535 之间的整数，实际为“{port_text}”")
    sender = env.get("WAGEWATCH_SMTP_SENDER", "").strip()
    if not sender:
        raise ValueError(
            "设置了 WAGEWATCH_SMTP_HOST，但没有设置 WAGEWATCH_SMTP_SENDER（发件人地址）"
        )
    if "@" not in parseaddr(sender)[1]:
        raise ValueError(f"WAGEWATCH_SMTP_SENDER 不是有效的邮件地址：“{sender}”")
    username = env.get("WAGEWATCH_SMTP_USER", "").strip() or None
    password = env.get("WAGEWATCH_SMTP_PASSWORD") or None
    if password is not None and username is None:
        raise ValueError(
            "设置了 WAGEWATCH_SMTP_PASSWORD，但没有设置 WAGEWATCH_SMTP_USER（登录用户名）"
        )
    if username is not None and password is None:
        raise ValueError(
            "设置了 WAGEWATCH_SMTP_USER，但没有设置 WAGEWATCH_SMTP_PASSWORD（登录密码）"
        )
    if not (username or "").isascii() or not (password or "").isascii():
        raise ValueError("WAGEWATCH_SMTP_USER 和 WAGEWATCH_SMTP_PASSWORD 只能含 ASCII 字符")
    starttls = _flag(env, "WAGEWATCH_SMTP_STARTTLS")
    return SmtpChannel(host, port, sender, username, password, starttls, base_url=base_url)


def _webhook_from_env(env: Mapping[str, str], base_url: str) -> WebhookChannel | None:
    """The webhook channel described by WAGEWATCH_WEBHOOK_*, or None when no URL is set."""
    url = env.get("WAGEWATCH_WEBHOOK_URL", "").strip()
    if not url:
        stray = [name for name in _WEBHOOK_VARS if env.get(name, "").strip()]
        if stray:
            raise ValueError(f"设置了 {stray[0]}，但没有设置 WAGEWATCH_WEBHOOK_URL（Webhook 地址）")
        return None
    if not _is_http_url(url):
        raise ValueError("WAGEWATCH_WEBHOOK_URL 必须是以 http:// 或 https:// 开头的完整地址")
    flavour = env.get("WAGEWATCH_WEBHOOK_FLAVOUR", "").strip().lower() or "json"
    if flavour not in _FLAVOURS:
        raise ValueError(
            f"WAGEWATCH_WEBHOOK_FLAVOUR 只能是 wecom（企业微信）、dingtalk（钉钉）或 json，"
            f"实际为“{flavour}”"
        )
    secret = env.get("WAGEWATCH_WEBHOOK_SECRET", "").strip() or None
    if secret and flavour != "dingtalk":
        raise ValueError(
            f"WAGEWATCH_WEBHOOK_SECRET 只用于钉钉机器人加签，"
            f"但 WAGEWATCH_WEBHOOK_FLAVOUR 是“{flavour}”"
        )
    return WebhookChannel(url, cast(Flavour, flavour), secret, base_url=base_url)


def configure_from_env(env: Mapping[str, str] = os.environ) -> list[str]:
    """Register the built-in channels the WAGEWATCH_* settings describe; returns their keys.

    Every setting is checked before anything is registered: a bad value raises ValueError
    naming the variable and leaves the registry as it was.
    """
    base_url = env.get("WAGEWATCH_BASE_URL", "").strip()
    if base_url and not _is_http_url(base_url):
        raise ValueError(
            f"WAGEWATCH_BASE_URL 必须是以 http:// 或 https:// 开头的完整地址，实际为“{base_url}”"
        )
    built: list[Channel] = []
    smtp = _smtp_from_env(env, base_url)
    if smtp is not None:
        built.append(smtp)
    webhook = _webhook_from_env(env, base_url)
    if webhook is not None:
        built.append(webhook)
    with _lock:
        taken = [channel.key for channel in built if channel.key in _registry]
        if taken:
            raise ValueError(f"通知通道“{taken[0]}”已注册，不能再从环境变量配置")
        for channel in built:
            _registry[channel.key] = channel
    return [channel.key for channel in built]
