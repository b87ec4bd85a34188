from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("procurements/<int:procurement_id>/", views.partnership, name="partnership"),
    path("procurements/<int:procurement_id>/gates", views.gate_open, name="gate_open"),
    path("contracts/<int:contract_id>/plan", views.plan, name="plan"),
    path("contracts/<int:contract_id>/evidence", views.evidence_deliver, name="evidence"),
    path("contracts/<int:contract_id>/acceptances", views.acceptance, name="acceptance"),
    path("evidence/<int:evidence_id>/validation", views.evidence_validate, name="validate"),
    path("gates/<int:review_id>", views.gate, name="gate"),
    path("gates/<int:review_id>/report", views.gate_report, name="gate_report"),
    path("gates/<int:review_id>/decision", views.gate_decide, name="gate_decide"),
    path("contracts/<int:contract_id>/claims", views.claim, name="claim"),
    path("contracts/<int:contract_id>/changes", views.change, name="change"),
    path("contracts/<int:contract_id>/observations", views.observation, name="observation"),
    path("contracts/<int:contract_id>/assessments", views.assessment, name="assessment"),
    path(
        "contracts/<int:contract_id>/termination-notices",
        views.termination_notice,
        name="termination_notice",
    ),
    path("contracts/<int:contract_id>/termination", views.termination, name="termination"),
    path("procurements/<int:procurement_id>/claims", views.claims, name="claims"),
    path("procurements/<int:procurement_id>/claims.csv", views.claims_csv, name="claims_csv"),
    path("claims/<int:claim_id>/decision", views.claim_decide, name="claim_decide"),
    path("claims/<int:claim_id>/answer", views.claim_answer, name="claim_answer"),
]
