"""
Suppliers sending sealed tenders over HTTP to a deployment, as a crowd does near a deadline:
each file in one request, or resumable in chunks that are sent again after an interruption.
Shared by the crash suite and the deadline benchmark; no Django.
"""

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

CHUNK = 1024 * 1024
# The server may be down for a moment (killed, restarting): how long a client keeps trying.
PATIENCE = 90.0


def tender(marker: bytes, size: int) -> bytes:
    """A PDF of `size` bytes holding `marker`, which must never be found in plaintext at rest."""
    head, tail = b"%PDF-1.7\n% " + marker + b"\n", b"\n%%EOF\n"
    return head + secrets.token_bytes(max(0, size - len(head) - len(tail))) + tail


@dataclass
class Outcome:
    """What one attempt to submit came to, as the supplier saw it."""

    kind: str  # "request" or "resumable"
    status: int  # 201, or the refusal's status; 0 when the answer was lost
    seconds: float
    size: int
    receipt: dict[str, Any] | None = None
    resumed: int = 0  # chunks sent again after an interruption
    message: str = ""  # the refusal's


class Refused(Exception):
    """The server refused a chunk (the deadline passed, a limit was reached)."""

    def __init__(self, answer: requests.Response) -> None:
        self.answer = answer


@dataclass
class Supplier:
    base: str
    round_id: int
    part: str
    organisation_id: int
    token: str
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["authorization"] = f"Bearer {self.token}"

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.base}{path}", timeout=60, **kwargs)

    def _patiently(self, send: Callable[[], requests.Response]) -> requests.Response:
        """Send until the server answers (it may be restarting); raise after PATIENCE."""
        give_up = time.monotonic() + PATIENCE
        while True:
            try:
                return send()
            except requests.ConnectionError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.2)

    def submit(self, content: bytes) -> Outcome:
        """One file in one request; an interrupted request is not sent again (no answer, no receipt)."""
        started = time.monotonic()
        try:
            answer = self._call(
                "POST",
                f"/api/v1/rounds/{self.round_id}/submissions",
                data={"organisation_id": self.organisation_id, "part": self.part},
                files={"file": ("tender.pdf", content, "application/pdf")},
            )
        except requests.ConnectionError:
            return Outcome("request", 0, time.monotonic() - started, len(content))
        return self._outcome("request", answer, started, content)

    def upload(self, content: bytes) -> Outcome:
        """In chunks; after an interruption, ask what is missing and send that again."""
        started = time.monotonic()
        begun = self._patiently(
            lambda: self._call(
                "POST",
                f"/api/v1/rounds/{self.round_id}/uploads",
                json={
                    "organisation_id": self.organisation_id,
                    "part": self.part,
                    "name": "tender.pdf",
                    "total_size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                },
            )
        )
        if begun.status_code != 201:
            return self._outcome("resumable", begun, started, content)
        upload_id, missing, resumed = begun.json()["id"], begun.json()["missing"], -1
        try:
            while missing:
                resumed += 1
                missing = self._send_missing(upload_id, content, missing)
        except Refused as refused:
            return self._outcome("resumable", refused.answer, started, content)
        finish = self._patiently(lambda: self._call("POST", f"/api/v1/uploads/{upload_id}/finish"))
        outcome = self._outcome("resumable", finish, started, content)
        outcome.resumed = resumed
        return outcome

    def _send_missing(self, upload_id: int, content: bytes, missing: list[list[int]]) -> Any:
        """Send the missing ranges chunk by chunk; what is still missing after (or at a break)."""
        try:
            for start, end in missing:
                for offset in range(start, end, CHUNK):
                    piece = content[offset : min(end, offset + CHUNK)]
                    answer = self._call(
                        "PUT", f"/api/v1/uploads/{upload_id}/chunks?offset={offset}", data=piece
                    )
                    if answer.status_code != 200:
                        raise Refused(answer)
            return []
        except requests.ConnectionError:
            state = self._patiently(lambda: self._call("GET", f"/api/v1/uploads/{upload_id}"))
            return state.json()["missing"]

    def _outcome(
        self, kind: str, answer: requests.Response, started: float, content: bytes
    ) -> Outcome:
        outcome = Outcome(kind, answer.status_code, time.monotonic() - started, len(content))
        if answer.status_code != 201:
            outcome.message = answer.text[:300]
        else:
            body = answer.json()
            outcome.receipt = {
                "id": body["id"],
                "sha256": body["sha256"],
                "receipt": body["receipt"],
            }
        return outcome
