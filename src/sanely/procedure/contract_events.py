"""
The contract events every rulebook declares for the life of a partner contract after award, as
constants: callers name an event by its constant, and a test checks that each constant is a
contract event of every rulebook and each contract event has its constant.
"""

ASSESS_PERFORMANCE = "assess_performance"
CLAIM_INSTALMENT = "claim_instalment"
END_CONTRACT = "end_contract"
MODIFY_CONTRACT = "modify_contract"
PAY_CLAIM = "pay_claim"
PURCHASE = "purchase"
