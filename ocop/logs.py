"""Structured logs: a request id on every request and log line, and one JSON object per line
when LOG_FORMAT=json (for a log shipper: Loki, Elasticsearch, CloudWatch...).

The request id comes from the proxy's X-Request-ID header (nginx's $request_id) when it is a
plausible id, else a new one; it is sent back in the response's X-Request-ID, so a person
reporting a problem can quote it and an officer can find the lines.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import uuid
from datetime import UTC, datetime

_request_id = contextvars.ContextVar("ocop_request_id", default="-")
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Attributes every LogRecord has: the rest were passed in `extra` and go into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (as `request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs an error answer after the middleware has returned, with the
            # request in the record.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request id,
    the exception's traceback if any, and whatever was passed in `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if _plain(value) else repr(value)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, list, dict))
