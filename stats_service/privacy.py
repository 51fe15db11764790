"""Who counts as one visitor, without keeping who they are.

A visitor is HMAC-SHA256(daily salt, site | IP | user agent): stable for one
local day so repeated views dedupe, unlinkable once the salt is deleted
(the store drops salts after 48 hours). The IP address and user agent are
used only inside this function and never leave it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

SALT_BYTES = 32
SALT_LIFETIME_SECONDS = 48 * 3600


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def visitor_id(salt: bytes, site: str, ip: str, user_agent: str) -> str:
    message = "\x00".join((site, ip, user_agent)).encode("utf-8", "surrogatepass")
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def opted_out(headers) -> bool:
    """Do Not Track (DNT: 1) or Global Privacy Control (Sec-GPC: 1)."""
    return headers.get("dnt", "").strip() == "1" or headers.get("sec-gpc", "").strip() == "1"
