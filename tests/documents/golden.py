"""
The subject and text today's portal code (commit 20d2a90, before the typed letters) sends for
the facts in examples.py, written out by running that code once. The builders must give the
same, with one deliberate difference: the trailing newline three emails ended with is gone
(every rendered text now ends at its last character). TODAY_FACTS: the `content` the same code
stored with each letter (emails stored none).
"""

from typing import Any

TODAY: dict[str, list[tuple[str, str]]] = {
    "invitation_to_tender": [
        (
            "Invitation to tender: Autonomous shuttles for rural routes",
            "Wessex Combined Authority invites Kestrel Mobility Ltd to tender for WCA-2026-014 Autonomous shuttles for rural routes.\n"
            "\n"
            "Your request to participate met every selection criterion and ranked 1 of 3 qualifying candidates with 18.75 points. The notice said up to 3 candidates would be invited.\n"
            "\n"
            "Next: the authority will open the tender round. Its deadline and the parts to submit will be on the opportunity's page (/opportunities/7/), and you will be sent a letter when it opens. Only invited candidates may tender.\n"
            "\n"
            "Your marks against every selection criterion:\n"
            "- Insurance: met. Assessors' reason: Certificate for £5m supplied.\n"
            "- Technical capability: 7.5 of 10 (weight 2.5, minimum 5). Assessors' reason: Two comparable deployments.\n"
            "Total: 18.75 points.",
        ),
    ],
    "regret": [
        (
            "Not selected to tender: Autonomous shuttles for rural routes",
            "Thank you for requesting to participate in WCA-2026-014 Autonomous shuttles for rural routes. Wessex Combined Authority has decided not to invite Curlew Transit CIC to tender.\n"
            "\n"
            "Did not meet the minimum score for Delivery record.\n"
            "\n"
            "The criteria not met:\n"
            "- Delivery record: 4 of 10 (weight 1, minimum 6). Assessors' reason: One pilot, ended early.\n"
            "\n"
            "Your marks against every selection criterion:\n"
            "- Insurance: met. Assessors' reason: Certificate for £5m supplied.\n"
            "- Technical capability: 7.5 of 10 (weight 2.5, minimum 5). Assessors' reason: Two comparable deployments.\n"
            "- Delivery record: 4 of 10 (weight 1, minimum 6). Assessors' reason: One pilot, ended early.\n"
            "Total: 22.75 points.",
        ),
        (
            "Not selected to tender: Autonomous shuttles for rural routes",
            "Thank you for requesting to participate in WCA-2026-014 Autonomous shuttles for rural routes. Wessex Combined Authority has decided not to invite Merlin Autonomy Ltd to tender.\n"
            "\n"
            "Ranked 4 of 4 qualifying candidates; 3 are invited.\n"
            "\n"
            "Your marks against every selection criterion:\n"
            "- Insurance: met. Assessors' reason: Certificate for £5m supplied.\n"
            "- Technical capability: 7.5 of 10 (weight 2.5, minimum 5). Assessors' reason: Two comparable deployments.\n"
            "Total: 12.50 points.",
        ),
    ],
    "award_decision": [
        (
            "Award decision notice: Autonomous shuttles for rural routes",
            "Award decision notice: WCA-2026-014 Autonomous shuttles for rural routes\n"
            "\n"
            "Wessex Combined Authority has decided to award the innovation partnership to: Kestrel Mobility Ltd, Osprey Robotics Ltd.\n"
            "Your tender is successful: we intend to conclude a partner contract with you once the standstill has ended.\n"
            "\n"
            "The award criteria and their weights\n"
            "- Quality (quality): 60%; within it: Safety case 40%, Service design 60%\n"
            "- Price (price): 30%\n"
            "- Social value (social value): 10%\n"
            "\n"
            "Your tender's points\n"
            "- Quality: 54.00 (9 of 10 × 60)\n"
            "- Price: 27.00 (lowest ÷ this × 30)\n"
            "Total: 81.00 points, ranked 1 of 3.\n"
            "\n"
            "The successful tenders\n"
            "- Kestrel Mobility Ltd: 81.00 points (Quality 54.00, Price 27.00)\n"
            "- Osprey Robotics Ltd: 79.50 points (Quality 36.00, Price 27.00)\n"
            "\n"
            "Characteristics and relative advantages of the successful tenders\n"
            "- Kestrel Mobility Ltd: The most complete safety case.\n"
            "- Osprey Robotics Ltd: The lowest price.\n"
            "\n"
            "Standstill\n"
            "No contract will be concluded before the standstill ends at midnight at the end of 30 March 2027, UK time (PCR 2015 reg 87). Until then you may challenge the decision.\n"
            "\n"
            "Contact\n"
            "Questions about this decision: Priya Shah (procurement_lead@wessex.example), Wessex Combined Authority.",
        ),
        (
            "Award decision notice: Autonomous shuttles for rural routes",
            "Award decision notice: WCA-2026-014 Autonomous shuttles for rural routes\n"
            "\n"
            "Wessex Combined Authority has decided to award the innovation partnership to: Kestrel Mobility Ltd, Osprey Robotics Ltd.\n"
            "Your tender was not successful.\n"
            "\n"
            "The award criteria and their weights\n"
            "- Quality (quality): 60%; within it: Safety case 40%, Service design 60%\n"
            "- Price (price): 30%\n"
            "- Social value (social value): 10%\n"
            "\n"
            "Your tender's points\n"
            "- Quality: 36.00 (6 of 10 × 60)\n"
            "Total: 70.25 points, ranked 3 of 3.\n"
            "\n"
            "The successful tenders\n"
            "- Kestrel Mobility Ltd: 81.00 points (Quality 54.00, Price 27.00)\n"
            "- Osprey Robotics Ltd: 79.50 points (Quality 36.00, Price 27.00)\n"
            "\n"
            "Characteristics and relative advantages of the successful tenders\n"
            "- Kestrel Mobility Ltd: The most complete safety case.\n"
            "- Osprey Robotics Ltd: The lowest price.\n"
            "\n"
            "Why you were not successful\n"
            "Your tender ranked 3 of 3 with 70.25 points. The successful tenders scored 79.50 points or more: see their points and their relative advantages above.\n"
            "\n"
            "Standstill\n"
            "No contract will be concluded before the standstill ends at midnight at the end of 30 March 2027, UK time (PCR 2015 reg 87). Until then you may challenge the decision.\n"
            "\n"
            "Contact\n"
            "Questions about this decision: Priya Shah (procurement_lead@wessex.example), Wessex Combined Authority.",
        ),
        (
            "Assessment summary: Autonomous shuttles for rural routes",
            "Assessment summary: WCA-2026-014 Autonomous shuttles for rural routes\n"
            "\n"
            "Wessex Combined Authority has decided to award the innovation partnership to: Kestrel Mobility Ltd, Osprey Robotics Ltd.\n"
            "You are not among the successful tenderers.\n"
            "\n"
            "The award criteria and their weights\n"
            "- Quality (quality): 60%; within it: Safety case 40%, Service design 60%\n"
            "- Price (price): 30%\n"
            "- Social value (social value): 10%\n"
            "\n"
            "The successful tenders\n"
            "- Kestrel Mobility Ltd: 81.00 points (Quality 54.00, Price 27.00)\n"
            "- Osprey Robotics Ltd: 79.50 points (Quality 36.00, Price 27.00)\n"
            "\n"
            "Characteristics and relative advantages of the successful tenders\n"
            "- Kestrel Mobility Ltd: The most complete safety case.\n"
            "- Osprey Robotics Ltd: The lowest price.\n"
            "\n"
            "Why you were not successful\n"
            "Staged reduction after tender round 1: ranked 4 of 4 with 55.00 points.\n"
            "\n"
            "Standstill\n"
            "No contract will be concluded before the standstill ends at midnight at the end of 30 March 2027, UK time (PCR 2015 reg 87). Until then you may challenge the decision.\n"
            "\n"
            "Contact\n"
            "Questions about this decision: Priya Shah (procurement_lead@wessex.example), Wessex Combined Authority.",
        ),
    ],
    "clarification": [
        (
            "Answer to a clarification question",
            "Question: May vehicles be leased?\n"
            "\n"
            "Answer: Yes, for the whole of phase 2.\n"
            "\n"
            "This answer was sent to every tenderer still in the competition.",
        ),
        (
            "Answer to a clarification question",
            "Question: Is our insurer acceptable?\n"
            "\n"
            "Answer: Yes: it is on the approved list.\n"
            "\n"
            "This answer concerns your tender alone and was sent only to you.",
        ),
    ],
    "document_revision": [
        (
            "Documents revised: Revised specification",
            "The procurement documents have changed.\n"
            "\n"
            "Section 4 now allows leased vehicles.\n"
            "\n"
            "The deadline is extended to 1 December 2026 16:30:00 GMT (16:30:00 UTC).",
        ),
        (
            "Documents revised: Typo in annex B",
            "The procurement documents have changed.\n"
            "\n"
            "A unit in annex B was wrong.\n"
            "\n"
            "The deadline is unchanged: A correction of a unit only.",
        ),
    ],
    "staged_reduction": [
        (
            "You are not invited to continue negotiating",
            "The tenders were scored against the published award criteria, as the procurement documents announced, and the number of tenderers reduced.\n"
            "\n"
            "Staged reduction after tender round 1: ranked 4 of 4 with 55.00 points; 3 are kept.\n"
            "\n"
            "Thank you for taking part.",
        ),
    ],
    "tender_rejected": [
        (
            "Your tender is rejected as abnormally low",
            "Wessex Combined Authority asked Heron Transit CIC to explain the price of its tender for WCA-2026-014 Autonomous shuttles for rural routes, £1,250,000.00, which appeared abnormally low: 42 % below the median of the other tenders.\n"
            "\n"
            "Having assessed the explanation, the authority rejects the tender (PCR 2015 reg 69). The reasons:\n"
            "\n"
            "The explanation relied on a subsidy that is not in place.",
        ),
    ],
    "round_invitation": [
        (
            "Tender round 1: open until 3 July 2026 12:00:05 BST (11:00:05 UTC)",
            "Wessex Combined Authority invites Kestrel Mobility Ltd to submit tender round 1 for WCA-2026-014 Autonomous shuttles for rural routes.\n"
            "\n"
            "Deadline: 3 July 2026 12:00:05 BST (11:00:05 UTC). Submissions after it are refused.\n"
            "\n"
            "Submit each part on its own, on the opportunity's page:\n"
            "- Technical proposal\n"
            "- Price schedule\n"
            "\n"
            "Each part is sealed until the deadline has passed and two people of the authority have opened the round; you get a signed receipt for each.",
        ),
    ],
    "deadline_extended": [
        (
            "Deadline extended: Autonomous shuttles for rural routes",
            "The deadline for tender round 1 in WCA-2026-014 Autonomous shuttles for rural routes is now 1 December 2026 16:30:00 GMT (16:30:00 UTC) (it was 3 July 2026 12:00:05 BST (11:00:05 UTC)).\n"
            "\n"
            "Reason: The portal was unavailable for six hours.",
        ),
    ],
    "submission_receipt": [
        (
            "Received: Technical proposal for WCA-2026-014 Autonomous shuttles for rural routes",
            "We received proposal.pdf (1,234,567 bytes) from Kestrel Mobility Ltd for 'Technical proposal' (tender round 1) at 3 July 2026 12:00:05 BST (11:00:05 UTC), version 2. It is sealed until the deadline has passed and the authority opens the round.\n"
            "\n"
            "Your signed receipt follows. Keep it: with the portal's public key at /.well-known/sanely-receipt-key.pem you can check it offline with `sanely vault verify-receipt receipt.json --public-key key.pem --file proposal.pdf`.\n"
            "\n"
            "{\n"
            '  "submission_id": "sub-7f3a",\n'
            '  "signature": "c2lnbmVk"\n'
            "}",
        ),
    ],
    "membership_added": [
        (
            "You have been added to Wessex Combined Authority",
            "Priya Shah added you to Wessex Combined Authority on sanely as Evaluator.\n"
            "\n"
            "Set your password here: https://sanely.example/reset/abc/",
        ),
        (
            "You have been added to Wessex Combined Authority",
            "Priya Shah added you to Wessex Combined Authority on sanely as Procurement lead.",
        ),
    ],
    "password_reset": [
        (
            "Reset your password for sanely",
            "Use this link to choose a new password: https://sanely.example/reset/xyz/\n"
            "\n"
            "If you did not ask for this, you can ignore this email.",
        ),
    ],
}

TODAY_FACTS: dict[str, list[dict[str, Any]]] = {
    "invitation_to_tender": [
        {
            "criteria": [
                {
                    "criterion": "Insurance",
                    "assessment": "pass_fail",
                    "weight": "1",
                    "minimum_score": "0",
                    "scale_max": 10,
                    "passed": True,
                    "score": None,
                    "met": True,
                    "reason": "Certificate for £5m supplied.",
                },
                {
                    "criterion": "Technical capability",
                    "assessment": "scored",
                    "weight": "2.5",
                    "minimum_score": "5",
                    "scale_max": 10,
                    "passed": None,
                    "score": "7.5",
                    "met": True,
                    "reason": "Two comparable deployments.",
                },
            ],
            "qualified": True,
            "total": "18.75",
            "rank": 1,
            "qualifying": 3,
            "invited": True,
            "reason": "Ranked 1 of 3; within the 3 invited.",
            "shortlist_reason": "The notice said up to 3 candidates would be invited.",
        }
    ],
    "regret": [
        {
            "criteria": [
                {
                    "criterion": "Insurance",
                    "assessment": "pass_fail",
                    "weight": "1",
                    "minimum_score": "0",
                    "scale_max": 10,
                    "passed": True,
                    "score": None,
                    "met": True,
                    "reason": "Certificate for £5m supplied.",
                },
                {
                    "criterion": "Technical capability",
                    "assessment": "scored",
                    "weight": "2.5",
                    "minimum_score": "5",
                    "scale_max": 10,
                    "passed": None,
                    "score": "7.5",
                    "met": True,
                    "reason": "Two comparable deployments.",
                },
                {
                    "criterion": "Delivery record",
                    "assessment": "scored",
                    "weight": "1",
                    "minimum_score": "6",
                    "scale_max": 10,
                    "passed": None,
                    "score": "4",
                    "met": False,
                    "reason": "One pilot, ended early.",
                },
            ],
            "qualified": False,
            "total": "22.75",
            "rank": None,
            "qualifying": 3,
            "invited": False,
            "reason": "Did not meet the minimum score for Delivery record.",
            "shortlist_reason": "The notice said up to 3 candidates would be invited.",
        },
        {
            "criteria": [
                {
                    "criterion": "Insurance",
                    "assessment": "pass_fail",
                    "weight": "1",
                    "minimum_score": "0",
                    "scale_max": 10,
                    "passed": True,
                    "score": None,
                    "met": True,
                    "reason": "Certificate for £5m supplied.",
                },
                {
                    "criterion": "Technical capability",
                    "assessment": "scored",
                    "weight": "2.5",
                    "minimum_score": "5",
                    "scale_max": 10,
                    "passed": None,
                    "score": "7.5",
                    "met": True,
                    "reason": "Two comparable deployments.",
                },
            ],
            "qualified": True,
            "total": "12.50",
            "rank": 4,
            "qualifying": 4,
            "invited": False,
            "reason": "Ranked 4 of 4 qualifying candidates; 3 are invited.",
            "shortlist_reason": "The notice said up to 3 candidates would be invited.",
        },
    ],
    "award_decision": [
        {
            "notice": "Award decision notice",
            "regime": "Public Contracts Regulations 2015",
            "recipient": "Kestrel Mobility Ltd",
            "result": "successful",
            "criteria": [
                {
                    "name": "Quality",
                    "kind": "quality",
                    "weight": "60",
                    "sub_criteria": [
                        {"name": "Safety case", "weight": "40"},
                        {"name": "Service design", "weight": "60"},
                    ],
                },
                {"name": "Price", "kind": "price", "weight": "30", "sub_criteria": []},
                {
                    "name": "Social value",
                    "kind": "social_value",
                    "weight": "10",
                    "sub_criteria": [],
                },
            ],
            "your_points": [
                {
                    "criterion": "Quality",
                    "kind": "quality",
                    "weight": "60",
                    "points": "54.00",
                    "explanation": "9 of 10 × 60",
                    "reasons": "Clear plan.",
                },
                {
                    "criterion": "Price",
                    "kind": "price",
                    "weight": "30",
                    "points": "27.00",
                    "explanation": "lowest ÷ this × 30",
                    "reasons": "",
                },
            ],
            "your_total": "81.00",
            "your_rank": 1,
            "tenders_ranked": 3,
            "successful": [
                {
                    "name": "Kestrel Mobility Ltd",
                    "total": "81.00",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "54.00",
                            "explanation": "9 of 10 × 60",
                            "reasons": "Clear plan.",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
                {
                    "name": "Osprey Robotics Ltd",
                    "total": "79.50",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "36.00",
                            "explanation": "6 of 10 × 60",
                            "reasons": "",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
            ],
            "characteristics": [
                {"name": "Kestrel Mobility Ltd", "strengths": "The most complete safety case."},
                {"name": "Osprey Robotics Ltd", "strengths": "The lowest price."},
            ],
            "reasons": "",
            "standstill": {
                "last_day": "2027-03-30",
                "ends_at": "2027-03-30T23:00:00+00:00",
                "meaning": "Until then you may challenge the decision.",
                "rule": "standstill",
                "citation": "PCR 2015 reg 87",
            },
            "contact": {
                "name": "Priya Shah",
                "email": "procurement_lead@wessex.example",
                "organisation": "Wessex Combined Authority",
            },
        },
        {
            "notice": "Award decision notice",
            "regime": "Public Contracts Regulations 2015",
            "recipient": "Heron Transit CIC",
            "result": "unsuccessful",
            "criteria": [
                {
                    "name": "Quality",
                    "kind": "quality",
                    "weight": "60",
                    "sub_criteria": [
                        {"name": "Safety case", "weight": "40"},
                        {"name": "Service design", "weight": "60"},
                    ],
                },
                {"name": "Price", "kind": "price", "weight": "30", "sub_criteria": []},
                {
                    "name": "Social value",
                    "kind": "social_value",
                    "weight": "10",
                    "sub_criteria": [],
                },
            ],
            "your_points": [
                {
                    "criterion": "Quality",
                    "kind": "quality",
                    "weight": "60",
                    "points": "36.00",
                    "explanation": "6 of 10 × 60",
                    "reasons": "",
                }
            ],
            "your_total": "70.25",
            "your_rank": 3,
            "tenders_ranked": 3,
            "successful": [
                {
                    "name": "Kestrel Mobility Ltd",
                    "total": "81.00",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "54.00",
                            "explanation": "9 of 10 × 60",
                            "reasons": "Clear plan.",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
                {
                    "name": "Osprey Robotics Ltd",
                    "total": "79.50",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "36.00",
                            "explanation": "6 of 10 × 60",
                            "reasons": "",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
            ],
            "characteristics": [
                {"name": "Kestrel Mobility Ltd", "strengths": "The most complete safety case."},
                {"name": "Osprey Robotics Ltd", "strengths": "The lowest price."},
            ],
            "reasons": "Your tender ranked 3 of 3 with 70.25 points. The successful "
            "tenders scored 79.50 points or more: see their points and "
            "their relative advantages above.",
            "standstill": {
                "last_day": "2027-03-30",
                "ends_at": "2027-03-30T23:00:00+00:00",
                "meaning": "Until then you may challenge the decision.",
                "rule": "standstill",
                "citation": "PCR 2015 reg 87",
            },
            "contact": {
                "name": "Priya Shah",
                "email": "procurement_lead@wessex.example",
                "organisation": "Wessex Combined Authority",
            },
        },
        {
            "notice": "Assessment summary",
            "regime": "Procurement Act 2023",
            "recipient": "Merlin Autonomy Ltd",
            "result": "reduced",
            "criteria": [
                {
                    "name": "Quality",
                    "kind": "quality",
                    "weight": "60",
                    "sub_criteria": [
                        {"name": "Safety case", "weight": "40"},
                        {"name": "Service design", "weight": "60"},
                    ],
                },
                {"name": "Price", "kind": "price", "weight": "30", "sub_criteria": []},
                {
                    "name": "Social value",
                    "kind": "social_value",
                    "weight": "10",
                    "sub_criteria": [],
                },
            ],
            "your_points": [],
            "your_total": None,
            "your_rank": None,
            "tenders_ranked": 3,
            "successful": [
                {
                    "name": "Kestrel Mobility Ltd",
                    "total": "81.00",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "54.00",
                            "explanation": "9 of 10 × 60",
                            "reasons": "Clear plan.",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
                {
                    "name": "Osprey Robotics Ltd",
                    "total": "79.50",
                    "points": [
                        {
                            "criterion": "Quality",
                            "kind": "quality",
                            "weight": "60",
                            "points": "36.00",
                            "explanation": "6 of 10 × 60",
                            "reasons": "",
                        },
                        {
                            "criterion": "Price",
                            "kind": "price",
                            "weight": "30",
                            "points": "27.00",
                            "explanation": "lowest ÷ this × 30",
                            "reasons": "",
                        },
                    ],
                },
            ],
            "characteristics": [
                {"name": "Kestrel Mobility Ltd", "strengths": "The most complete safety case."},
                {"name": "Osprey Robotics Ltd", "strengths": "The lowest price."},
            ],
            "reasons": "Staged reduction after tender round 1: ranked 4 of 4 with 55.00 points.",
            "standstill": {
                "last_day": "2027-03-30",
                "ends_at": "2027-03-30T23:00:00+00:00",
                "meaning": "Until then you may challenge the decision.",
                "rule": "standstill",
                "citation": "PCR 2015 reg 87",
            },
            "contact": {
                "name": "Priya Shah",
                "email": "procurement_lead@wessex.example",
                "organisation": "Wessex Combined Authority",
            },
        },
    ],
    "clarification": [
        {"clarification": 11, "audience": "all"},
        {"clarification": 12, "audience": "tenderer"},
    ],
    "document_revision": [{"revision": 5}, {"revision": 6}],
    "staged_reduction": [
        {
            "reason": "Staged reduction after tender round 1: ranked 4 of 4 with "
            "55.00 points; 3 are kept."
        }
    ],
    "tender_rejected": [
        {
            "price": "1250000.00",
            "flag": "42 % below the median of the other tenders.",
            "reasons": "The explanation relied on a subsidy that is not in place.",
            "law": "PCR 2015 reg 69",
        }
    ],
    "round_invitation": [
        {
            "round": "tender-1",
            "deadline": "2026-07-03T11:00:05+00:00",
            "final": False,
            "parts": ["Technical proposal", "Price schedule"],
        }
    ],
}
