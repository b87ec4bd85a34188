"""Round keys: created sealed, opened only at the deadline by two people, never edited."""

import base64
import dataclasses
from datetime import timedelta

import pytest

from sanely.vault import (
    DeadlineRefused,
    FourEyesRequired,
    KeyInvalid,
    MasterKey,
    NaiveDatetime,
    OpeningAuthorisation,
    RoundKey,
    StillSealed,
    TamperDetected,
    master_key_generate,
    master_key_load,
    round_key_create,
    round_key_extend,
    round_key_open,
    round_key_rewrap,
    round_key_verify,
)

from .support import CREATED, DEADLINE, ROUND_ID

TWO_PEOPLE = OpeningAuthorisation(ROUND_ID, "officer-1", "officer-2")


def test_a_generated_master_key_loads_and_its_id_reveals_nothing_of_it() -> None:
    text = master_key_generate()

    master = master_key_load(text)

    assert 32 == len(master.secret)
    assert master.secret.hex() not in master.key_id
    assert master.key_id.startswith("master-")
    assert text not in repr(master)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not base64!", "not base64"),
        (base64.urlsafe_b64encode(b"short").decode(), "must be 32 bytes, got 5"),
    ],
)
def test_a_malformed_master_key_is_refused(text: str, reason: str) -> None:
    with pytest.raises(KeyInvalid, match=reason):
        master_key_load(text)


def test_a_round_key_keeps_only_the_public_half_in_the_clear(
    master: MasterKey, round_key: RoundKey
) -> None:
    assert (
        round_key.round_id,
        round_key.deadline,
        round_key.deadline_set_by,
    ) == (ROUND_ID, DEADLINE, "officer-1")
    assert 32 == len(round_key.public_key)
    assert master.key_id == round_key.master_key_id
    assert round_key.key_id.startswith("round-")
    round_key_verify(master, round_key)


def test_a_round_cannot_be_created_with_a_deadline_already_past(master: MasterKey) -> None:
    with pytest.raises(DeadlineRefused, match="is not after now"):
        round_key_create(master, round_id="r", deadline=CREATED, now=CREATED, set_by="officer-1")


def test_a_deadline_must_be_set_by_someone(master: MasterKey) -> None:
    with pytest.raises(DeadlineRefused, match="must name the person"):
        round_key_create(master, round_id="r", deadline=DEADLINE, now=CREATED, set_by=" ")


def test_a_round_opens_at_its_deadline_for_two_distinct_people(
    master: MasterKey, round_key: RoundKey
) -> None:
    opened = round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE)

    assert (ROUND_ID, round_key.key_id, DEADLINE, ("officer-1", "officer-2")) == (
        opened.round_id,
        opened.key_id,
        opened.opened_at,
        opened.opened_by,
    )
    assert round_key.public_key == opened.private_key.public_key().public_bytes_raw()
    assert "private_key" not in repr(opened)


def test_a_round_opened_before_its_deadline_stays_sealed_and_says_until_when(
    master: MasterKey, round_key: RoundKey
) -> None:
    now = DEADLINE - timedelta(microseconds=1)

    with pytest.raises(StillSealed) as refusal:
        round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=now)

    assert (
        "round round-1 is sealed until 2026-12-01 12:00:00.000000 UTC (2026-12-01 "
        "12:00:00.000000 GMT Europe/London); now is 2026-12-01 11:59:59.999999 UTC "
        "(2026-12-01 11:59:59.999999 GMT Europe/London)"
    ) == str(refusal.value)
    assert (now, DEADLINE) == (refusal.value.now, refusal.value.deadline)


@pytest.mark.parametrize(
    ("first", "second"),
    [("officer-1", "officer-1"), ("officer-1", " officer-1 "), ("officer-1", ""), ("  ", "x")],
)
def test_a_round_does_not_open_for_fewer_than_two_distinct_people(
    master: MasterKey, round_key: RoundKey, first: str, second: str
) -> None:
    with pytest.raises(FourEyesRequired, match="needs two distinct people"):
        round_key_open(
            master,
            round_key,
            authorisation=OpeningAuthorisation(ROUND_ID, first, second),
            now=DEADLINE,
        )


def test_an_authorisation_for_another_round_does_not_open_this_one(
    master: MasterKey, round_key: RoundKey
) -> None:
    other = OpeningAuthorisation("round-2", "officer-1", "officer-2")

    with pytest.raises(FourEyesRequired, match="is for round round-2, not round round-1"):
        round_key_open(master, round_key, authorisation=other, now=DEADLINE)


def test_opening_needs_an_aware_now(master: MasterKey, round_key: RoundKey) -> None:
    with pytest.raises(NaiveDatetime):
        round_key_open(
            master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE.replace(tzinfo=None)
        )


def test_a_round_does_not_open_with_another_master_key(round_key: RoundKey) -> None:
    other = master_key_load(master_key_generate())

    with pytest.raises(KeyInvalid, match="was sealed under master key"):
        round_key_open(other, round_key, authorisation=TWO_PEOPLE, now=DEADLINE)


@pytest.mark.parametrize(
    "change",
    [
        {"deadline": CREATED + timedelta(days=1)},
        {"deadline_set_by": "intruder"},
        {"public_key": bytes(32)},
        {"round_id": "round-2"},
        {"record_tag": bytes(32)},
    ],
)
def test_a_round_record_edited_in_the_database_is_detected(
    master: MasterKey, round_key: RoundKey, change: dict[str, object]
) -> None:
    edited = dataclasses.replace(round_key, **change)  # type: ignore[arg-type]
    authorisation = OpeningAuthorisation(edited.round_id, "officer-1", "officer-2")

    with pytest.raises(TamperDetected, match="was altered"):
        round_key_open(master, edited, authorisation=authorisation, now=DEADLINE)


def test_an_altered_wrapped_private_key_is_detected(master: MasterKey, round_key: RoundKey) -> None:
    wrapped = bytearray(round_key.wrapped_private_key)
    wrapped[-1] ^= 1
    edited = dataclasses.replace(round_key, wrapped_private_key=bytes(wrapped))

    with pytest.raises(TamperDetected, match="wrapped key of round round-1 was altered"):
        round_key_open(master, edited, authorisation=TWO_PEOPLE, now=DEADLINE)


def test_a_record_with_a_naive_deadline_is_refused(master: MasterKey, round_key: RoundKey) -> None:
    naive = dataclasses.replace(round_key, deadline=DEADLINE.replace(tzinfo=None))

    with pytest.raises(NaiveDatetime, match="round deadline"):
        round_key_verify(master, naive)


def test_a_deadline_extended_before_it_passes_keeps_the_key_and_records_who(
    master: MasterKey, round_key: RoundKey
) -> None:
    later = DEADLINE + timedelta(days=7)

    extended = round_key_extend(
        master, round_key, new_deadline=later, now=DEADLINE - timedelta(days=1), changed_by="o-3"
    )

    assert (later, "o-3", round_key.public_key) == (
        extended.deadline,
        extended.deadline_set_by,
        extended.public_key,
    )
    with pytest.raises(StillSealed):
        round_key_open(master, extended, authorisation=TWO_PEOPLE, now=DEADLINE)
    assert (
        round_key_open(master, extended, authorisation=TWO_PEOPLE, now=later).round_id == ROUND_ID
    )


def test_a_deadline_cannot_be_brought_forward(master: MasterKey, round_key: RoundKey) -> None:
    with pytest.raises(DeadlineRefused, match="can only be extended"):
        round_key_extend(
            master,
            round_key,
            new_deadline=DEADLINE - timedelta(hours=1),
            now=CREATED,
            changed_by="officer-1",
        )


def test_a_deadline_cannot_be_changed_once_passed(master: MasterKey, round_key: RoundKey) -> None:
    with pytest.raises(DeadlineRefused, match="has passed"):
        round_key_extend(
            master,
            round_key,
            new_deadline=DEADLINE + timedelta(days=1),
            now=DEADLINE,
            changed_by="officer-1",
        )


def test_a_deadline_change_must_name_who_changes_it(master: MasterKey, round_key: RoundKey) -> None:
    with pytest.raises(DeadlineRefused, match="changing a deadline must name"):
        round_key_extend(
            master, round_key, new_deadline=DEADLINE + timedelta(days=1), now=CREATED, changed_by=""
        )


def test_a_round_key_rewrapped_under_a_new_master_key_opens_only_with_the_new_one(
    master: MasterKey, round_key: RoundKey
) -> None:
    new = master_key_load(master_key_generate())

    rewrapped = round_key_rewrap(master, new, round_key)

    assert (round_key.public_key, DEADLINE, "officer-1", new.key_id) == (
        rewrapped.public_key,
        rewrapped.deadline,
        rewrapped.deadline_set_by,
        rewrapped.master_key_id,
    )
    assert (
        ROUND_ID == round_key_open(new, rewrapped, authorisation=TWO_PEOPLE, now=DEADLINE).round_id
    )
    with pytest.raises(KeyInvalid):
        round_key_open(master, rewrapped, authorisation=TWO_PEOPLE, now=DEADLINE)
    with pytest.raises(StillSealed):
        round_key_open(new, rewrapped, authorisation=TWO_PEOPLE, now=CREATED)


def test_rewrapping_needs_the_master_key_the_round_was_sealed_under(round_key: RoundKey) -> None:
    stranger = master_key_load(master_key_generate())

    with pytest.raises(KeyInvalid):
        round_key_rewrap(stranger, stranger, round_key)
