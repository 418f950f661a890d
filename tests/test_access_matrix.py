"""The access matrix, generated from the URLconf: every URL pattern, as every persona.

`test_access` is parametrised over the patterns that `django.urls.get_resolver()` holds (walked through every
include), not over a list, so a new URL cannot escape it: a pattern that ROUTES does not describe fails, named.
ROUTES says, per URL name, how to build its URL from the fixture objects and who may load it:

- anonymous: redirected to sign-in (the public pages, listed with `public()`, answer instead);
- bob, an officer of Coventry: 404 on Birmingham's objects (403 or 404 where the page is no borough's);
- charlie, signed in with no role: 403;
- whoever the route names as allowed: neither 403, 404 nor 500;
- alice, Birmingham's officer: no page she can load shows OPCC-only text.

Only GET is sent. A POST-only view answers 405 to a GET from someone allowed; the personas it must refuse send
it an empty POST (so nothing is ever changed by the wrong person) and must meet 403/404 before any form is read.

The fixture objects are made once for the module (inside a transaction rolled back at the end); each test's
own changes (sessions) are rolled back by pytest-django as usual.
"""

import base64
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from boroughs.models import Borough
from boroughs.reference import ensure_west_midlands
from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, give_role
from returns.models import CommunityEngagement, FinancialYear, MatchFunding, OpccEngagement, Risk
from returns.services import evidence_add, return_start
from reviews.models import AnnexColumn, AnnexExport, FlagType, RollUpCell, Visibility, YearDataExport
from reviews.reference import ensure_flag_types
from reviews.services import review as review_services
from reviews.services.annex import annex_publish, annex_start
from reviews.services.rollup import rollup_start
from tests.conftest import make_user
from tests.reviews.conftest import make_project, make_return

# In every piece of OPCC-only text the fixtures hold; no page Birmingham's officer loads may contain it.
MARKER = "Quokka7f3e"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

ANONYMOUS, ALICE, BOB, CHARLIE, RITA, ADAM = "anonymous", "alice", "bob", "charlie", "rita", "adam"
SIGNED_IN = (ALICE, BOB, CHARLIE, RITA, ADAM)
LOGIN = "sign-in"  # the anonymous answer: a redirect to /accounts/login/?next=<the URL>
OK = "ok"  # let in: neither 403, 404 nor 500 (a GET of a POST-only view: exactly 405)

# Patterns the matrix does not walk, and why. Everything else in the URLconf must be in ROUTES.
SKIPPED_NAMESPACES = {
    # The Django admin: superusers only, signed in through the service; its own tests are
    # tests/boroughs/accounts/test_admin.py and tests/test_pages.py::test_admin_is_for_superusers_only.
    "admin",
    # The read-only API at /api/: token authentication only (no session, so no sign-in redirect); every
    # resource is walked as every persona, token revocation and the schema included, by tests/api/.
    "api",
}
SKIPPED_NAMES = {
    # allauth steps that exist only inside a flow this service does not start (codes by email, email
    # verification) or inside a pending sign-in (the second factor); allauth answers them itself.
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email_verification_sent",
    "account_confirm_email",
    "mfa_authenticate",
    # Static and media files are served by WhiteNoise and the evidence views, never through the URLconf
    # in tests (DEBUG is off), so no such pattern is expected here.
}


@dataclass(frozen=True)
class Route:
    url: object  # function(world) -> the URL
    allowed: tuple = ()  # personas let in
    refused: dict = field(default_factory=dict)  # persona -> the status they get (default: bob 404, others 403)
    anonymous: object = LOGIN  # LOGIN, or a status code for the public pages
    post_only: bool = False

    def expected(self, persona):
        if persona == ANONYMOUS:
            return self.anonymous
        if persona in self.allowed:
            return OK
        return self.refused.get(persona, 404 if persona == BOB else 403)


def officer_work(url):
    """A Birmingham return's filing: its officers only; OPCC staff read it but do not file it."""
    return Route(url, allowed=(ALICE,))


def borough_read(url):
    """A page of Birmingham's: its officers and all OPCC staff read it."""
    return Route(url, allowed=(ALICE, RITA, ADAM))


def project_edit(url):
    """Birmingham's projects: its officers and OPCC admins keep them."""
    return Route(url, allowed=(ALICE, ADAM))


def opcc(url, *, allowed=(RITA, ADAM), post_only=False):
    """The review, roll-up and annex: OPCC only. Officers, of any borough, get 404: nothing there is theirs."""
    return Route(url, allowed=allowed, refused={ALICE: 404, BOB: 404}, post_only=post_only)


def admin_only(url):
    """Reference data (periods, years, people): OPCC admins only, 403 for everyone else."""
    return Route(url, allowed=(ADAM,), refused={BOB: 403})


def signed_in(url, *, post_only=False):
    """Pages about the person themselves: anyone signed in."""
    return Route(url, allowed=SIGNED_IN, post_only=post_only)


def with_mfa(url):
    """Two-step verification's own pages: 404 (allauth's) until it is on, as it is for adam alone here."""
    return Route(url, allowed=(ADAM,), refused=dict.fromkeys(SIGNED_IN, 404))


def public(url):
    """Open to anyone, signed in or not."""
    return Route(url, allowed=SIGNED_IN, anonymous=200)


def not_offered(url):
    """allauth pages the service turns off (boroughs/accounts/urls.py): 404 for everyone signed in."""
    return Route(url, refused=dict.fromkeys(SIGNED_IN, 404))


def _return(w, suffix=""):
    return f"/returns/{w.draft.pk}/{suffix}"


def _review(w, suffix=""):
    return f"/review/returns/{w.submitted.pk}/{suffix}"


def _rollup(w, suffix=""):
    return f"/review/roll-up/birmingham/{w.year.label}/{suffix}"


def _annex(w, suffix=""):
    return f"/annex/{w.year.label}/{suffix}"


def _project(w, suffix=""):
    return f"/boroughs/birmingham/projects/{w.project.pk}/{suffix}"


ROUTES = {
    # boroughs
    # Home sends each person to their work; someone with no role has none (403).
    "home": Route(lambda w: "/", allowed=(ALICE, BOB, RITA, ADAM)),
    # Each officer's list of their own partnerships (bob's shows Coventry: tests/boroughs/test_borough_list.py).
    "borough_list": Route(lambda w: "/boroughs/", allowed=(ALICE, BOB, RITA, ADAM)),
    "borough_detail": borough_read(lambda w: "/boroughs/birmingham/"),
    # returns: Birmingham's draft (filing) and its projects
    "borough_returns": borough_read(lambda w: "/boroughs/birmingham/returns/"),
    "return_start": Route(
        lambda w: f"/boroughs/birmingham/returns/start/{w.q3.pk}/", allowed=(ALICE,), post_only=True
    ),
    "project_list": borough_read(lambda w: "/boroughs/birmingham/projects/"),
    "project_add": project_edit(lambda w: "/boroughs/birmingham/projects/add/"),
    "project_detail": borough_read(lambda w: _project(w)),
    "project_edit": project_edit(lambda w: _project(w, "edit/")),
    "indicator_add": project_edit(lambda w: _project(w, "indicators/add/")),
    "indicator_edit": project_edit(lambda w: _project(w, f"indicators/{w.indicator.pk}/")),
    "match_funding_add": project_edit(lambda w: _project(w, "funding/add/")),
    "match_funding_edit": project_edit(lambda w: _project(w, f"funding/{w.funding.pk}/")),
    "match_funding_remove": Route(
        lambda w: _project(w, f"funding/{w.funding.pk}/remove/"), allowed=(ALICE, ADAM), post_only=True
    ),
    "return_detail": borough_read(lambda w: _return(w)),
    "return_alignment": officer_work(lambda w: _return(w, "alignment/")),
    "return_project": officer_work(lambda w: _return(w, f"projects/{w.update.pk}/")),
    "return_evidence": officer_work(lambda w: _return(w, "evidence/")),
    "evidence_download": borough_read(lambda w: _return(w, f"evidence/{w.evidence.pk}/download/")),
    "evidence_remove": officer_work(lambda w: _return(w, f"evidence/{w.evidence.pk}/remove/")),
    "return_check": borough_read(lambda w: _return(w, "check/")),
    "return_print": borough_read(lambda w: _return(w, "print/")),
    "return_import": officer_work(lambda w: _return(w, "import/")),
    "return_import_template": officer_work(lambda w: _return(w, "import/template/")),
    # An upload of alice's (only its uploader sees it; its missing file makes the preview say so, never a 500).
    "return_import_preview": officer_work(
        lambda w: _return(
            w,
            "import/{}/".format(
                w.draft.imports.get_or_create(
                    kind="quarter", uploaded_by=w.alice, defaults={"file": "imports/gone.xlsx", "original_name": "f"}
                )[0].pk
            ),
        )
    ),
    "return_log": officer_work(lambda w: _return(w, "risks/")),
    "return_log_add": officer_work(lambda w: _return(w, "community/add/")),
    "return_log_item": officer_work(lambda w: _return(w, f"opcc/{w.opcc.pk}/")),
    "return_log_remove": officer_work(lambda w: _return(w, f"risks/{w.risk.pk}/remove/")),
    # returns: reference data
    "year_list": admin_only(lambda w: "/years/"),
    "year_open": admin_only(lambda w: "/years/open/"),
    "projects_import": admin_only(lambda w: f"/years/{w.year.label}/projects/import/"),
    "projects_import_template": admin_only(lambda w: f"/years/{w.year.label}/projects/import/template/"),
    # An upload of adam's (only its uploader sees it; its empty file makes the preview say so, never a 500).
    "projects_import_preview": admin_only(
        lambda w: (
            f"/years/{w.year.label}/projects/import/"
            + str(
                w.year.imports.create(
                    kind="projects", file=SimpleUploadedFile("p.xlsx", b""), original_name="p.xlsx", uploaded_by=w.adam
                ).uuid
            )
            + "/"
        )
    ),
    "period_edit": admin_only(lambda w: f"/periods/{w.q2.pk}/"),
    "extension_add": admin_only(lambda w: f"/periods/{w.q2.pk}/extensions/add/"),
    "period_status": admin_only(lambda w: f"/periods/{w.q2.pk}/status/"),
    # accounts: the service's own pages
    "your_account": signed_in(lambda w: "/accounts/"),
    "login": public(lambda w: "/accounts/login/"),
    "keep_alive": signed_in(lambda w: "/accounts/keep-alive/", post_only=True),
    "notification_preferences": signed_in(lambda w: "/accounts/notifications/"),
    # accounts: API tokens, each person's own (bob, rita and adam get 404 on alice's; charlie, no role: 403)
    "api_tokens": Route(lambda w: "/accounts/api-tokens/", allowed=(ALICE, BOB, RITA, ADAM)),
    "api_token_create": Route(lambda w: "/accounts/api-tokens/new/", allowed=(ALICE, BOB, RITA, ADAM)),
    "api_token_revoke": Route(
        lambda w: f"/accounts/api-tokens/{w.api_token.pk}/revoke/", allowed=(ALICE,), refused={RITA: 404, ADAM: 404}
    ),
    "accounts/email/": not_offered(lambda w: "/accounts/email/"),
    "accounts/^confirm-email/": not_offered(lambda w: "/accounts/confirm-email/"),
    # accounts: allauth's pages
    "account_login": public(lambda w: "/accounts/login/"),
    # Signing out when not signed in goes to the sign-in page, with nowhere to go next.
    "account_logout": Route(lambda w: "/accounts/logout/", allowed=SIGNED_IN, anonymous=302),
    "account_inactive": public(lambda w: "/accounts/inactive/"),
    "account_signup": public(lambda w: "/accounts/signup/"),
    "account_reauthenticate": signed_in(lambda w: "/accounts/reauthenticate/"),
    "account_email": not_offered(lambda w: "/accounts/email/"),
    "account_change_password": signed_in(lambda w: "/accounts/password/change/"),
    "account_set_password": signed_in(lambda w: "/accounts/password/set/"),
    "account_reset_password": public(lambda w: "/accounts/password/reset/"),
    "account_reset_password_done": public(lambda w: "/accounts/password/reset/done/"),
    # A made-up key: the page says the link is not valid (a real one is tests/boroughs/accounts' business).
    "account_reset_password_from_key": public(lambda w: "/accounts/password/reset/key/1-set-password/"),
    "account_reset_password_from_key_done": public(lambda w: "/accounts/password/reset/key/done/"),
    "mfa_index": signed_in(lambda w: "/accounts/2fa/"),
    "mfa_reauthenticate": signed_in(lambda w: "/accounts/2fa/reauthenticate/"),
    "mfa_activate_totp": signed_in(lambda w: "/accounts/2fa/totp/activate/"),
    "mfa_deactivate_totp": with_mfa(lambda w: "/accounts/2fa/totp/deactivate/"),
    "mfa_view_recovery_codes": with_mfa(lambda w: "/accounts/2fa/recovery-codes/"),
    "mfa_generate_recovery_codes": signed_in(lambda w: "/accounts/2fa/recovery-codes/generate/"),
    "mfa_download_recovery_codes": with_mfa(lambda w: "/accounts/2fa/recovery-codes/download/"),
    # people: OPCC admins manage accounts; the invitation link is the invited person's key
    "people:list": admin_only(lambda w: "/people/"),
    "people:invite": admin_only(lambda w: "/people/invite/"),
    "people:detail": admin_only(lambda w: f"/people/{w.alice.pk}/"),
    "people:status": admin_only(lambda w: f"/people/{w.alice.pk}/account/"),
    "people:mfa_reset": admin_only(lambda w: f"/people/{w.alice.pk}/two-step-verification/"),
    "people:resend": admin_only(lambda w: f"/people/{w.ivy.pk}/invitation/"),
    # A valid link moves its token into the session and redirects to the set-password page.
    "people:welcome": Route(lambda w: w.invitation, allowed=SIGNED_IN, anonymous=302),
    # reviews: the quarterly review of Birmingham's submitted return
    "reviews:grid": opcc(lambda w: "/review/"),
    "reviews:return": opcc(lambda w: _review(w)),
    "reviews:submitted_version": opcc(lambda w: _review(w, f"submitted/{w.decision.pk}/")),
    "reviews:return_changes": opcc(lambda w: _review(w, "changes/")),
    "reviews:column_commentary": opcc(lambda w: _review(w, "columns/alignment/")),
    "reviews:project_commentary": opcc(lambda w: _review(w, f"projects/{w.project.pk}/")),
    "reviews:return_project_charts": opcc(lambda w: _review(w, f"charts/{w.project.pk}/")),
    "reviews:flag_add": opcc(lambda w: _review(w, "flags/add/")),
    "reviews:flag_resolve": opcc(lambda w: f"/review/flags/{w.flag.pk}/resolve/"),
    "reviews:request_changes": opcc(lambda w: _review(w, "request-changes/")),
    "reviews:accept": opcc(lambda w: _review(w, "accept/")),
    "reviews:reopen": opcc(lambda w: _review(w, "reopen/"), allowed=(ADAM,)),
    "reviews:board": opcc(lambda w: f"/review/board/?year={w.year.label}"),
    "reviews:evidence_quality": opcc(lambda w: f"/review/evidence-quality/?year={w.year.label}"),
    "reviews:thematic": opcc(lambda w: "/review/themes/"),
    # reviews: bulk work from the grid (no object in the URL: officers 404 as for the grid)
    "reviews:bulk_accept": opcc(lambda w: f"/review/bulk/accept/?year={w.year.label}"),
    "reviews:bulk_remind": opcc(lambda w: f"/review/bulk/remind/?year={w.year.label}"),
    "reviews:bulk_resolve": opcc(lambda w: f"/review/bulk/resolve/?year={w.year.label}"),
    # reviews: Birmingham's roll-up
    "reviews:rollup": opcc(lambda w: _rollup(w)),
    "reviews:rollup_start": opcc(lambda w: _rollup(w, "start/"), post_only=True),
    "reviews:rollup_history": opcc(lambda w: _rollup(w, "history/")),
    "reviews:rollup_cell": opcc(lambda w: _rollup(w, f"cells/{w.cell.pk}/")),
    "reviews:rollup_row_move": opcc(lambda w: _rollup(w, f"rows/{w.row.pk}/move/"), post_only=True),
    "reviews:rollup_row_visibility": opcc(lambda w: _rollup(w, f"rows/{w.row.pk}/visibility/")),
    # reviews: the annex, its published version and an export
    "reviews:annex_list": opcc(lambda w: "/annex/"),
    "reviews:annex_start": opcc(lambda w: _annex(w, "start/"), post_only=True),
    "reviews:annex_preview": opcc(lambda w: _annex(w)),
    "reviews:details_edit": opcc(lambda w: _annex(w, "details/")),
    "reviews:publish": opcc(lambda w: _annex(w, "publish/")),
    "reviews:version_list": opcc(lambda w: _annex(w, "versions/")),
    "reviews:version_detail": opcc(lambda w: _annex(w, "versions/1/")),
    "reviews:version_diff": opcc(lambda w: _annex(w, "versions/1/diff/")),
    "reviews:export_version": opcc(lambda w: _annex(w, "versions/1/docx/")),
    "reviews:export_draft": opcc(lambda w: _annex(w, "export/xlsx/")),
    "reviews:export_prepare_version": opcc(lambda w: _annex(w, "versions/1/pdf/prepare/"), post_only=True),
    "reviews:export_prepare_draft": opcc(lambda w: _annex(w, "export/pdf/prepare/"), post_only=True),
    "reviews:export_status": opcc(lambda w: f"/annex/exports/{w.export.pk}/"),
    "reviews:export_status_json": opcc(lambda w: f"/annex/exports/{w.export.pk}/status.json"),
    "reviews:export_download": opcc(lambda w: f"/annex/exports/{w.export.pk}/download/"),
    # reviews: the year's data for analysts (OPCC-only flags inside) and a copy prepared on the worker
    "reviews:year_data": opcc(lambda w: _annex(w, "data/")),
    "reviews:year_data_download": opcc(lambda w: _annex(w, "data/xlsx/")),
    "reviews:year_data_prepare": opcc(lambda w: _annex(w, "data/zip/prepare/"), post_only=True),
    "reviews:year_data_export_status": opcc(lambda w: f"/annex/data-exports/{w.year_data_export.pk}/"),
    "reviews:year_data_export_status_json": opcc(lambda w: f"/annex/data-exports/{w.year_data_export.pk}/status.json"),
    "reviews:year_data_export_download": opcc(lambda w: f"/annex/data-exports/{w.year_data_export.pk}/download/"),
    "reviews:year_close": admin_only(lambda w: f"/years/{w.year.label}/close/"),
    # reviews: open to officers, scoped to their boroughs. The search looks for part of the marker (the page
    # repeats what was searched for, so the whole marker would be found in the search box itself).
    "reviews:search": Route(lambda w: f"/search/?q={MARKER[:6]}", allowed=(ALICE, BOB, RITA, ADAM)),
    "reviews:return_history": borough_read(lambda w: f"/returns/{w.submitted.pk}/history/"),
    # the footer's pages
    "accessibility": public(lambda w: "/accessibility/"),
    "privacy": public(lambda w: "/privacy/"),
    # open grants data: public, published years only
    "reviews:open_data": public(lambda w: "/open-data/"),
    "reviews:grants_json": public(lambda w: f"/open-data/{w.year.label}/grants.json"),
    "reviews:grants_csv": public(lambda w: f"/open-data/{w.year.label}/grants.csv"),
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, pattern) for every pattern of the URLconf, through every include: the key is the pattern's
    namespaced name, or its route for an unnamed one."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield (name or route), route, namespace


def walked():
    keys = []
    for key, _route, namespace in url_patterns():
        if namespace.split(":")[0] in SKIPPED_NAMESPACES or key in SKIPPED_NAMES or key in keys:
            continue
        keys.append(key)
    return keys


WALKED = walked()


def test_every_url_pattern_has_a_route_and_every_route_a_pattern():
    routes = {key: route for key, route, _ in url_patterns()}
    missing = [f"{key} ({routes[key]})" for key in WALKED if key not in ROUTES]
    assert not missing, "URL patterns missing from ROUTES (say how to build each and who may load it): " + ", ".join(
        missing
    )
    stale = sorted(set(ROUTES) - set(WALKED))
    assert not stale, f"ROUTES entries with no URL pattern any more: {stale}"
    gone = sorted(SKIPPED_NAMES - set(routes))
    assert not gone, f"SKIPPED_NAMES entries with no URL pattern any more: {gone}"


# The fixture objects, made once for the module.


def _world():
    ensure_west_midlands(Borough)
    birmingham, coventry = Borough.objects.get(slug="birmingham"), Borough.objects.get(slug="coventry")
    alice = make_user("alice", role=CSP_OFFICER, boroughs=[birmingham])
    bob = make_user("bob", role=CSP_OFFICER, boroughs=[coventry])
    charlie = make_user("charlie", boroughs=[birmingham])
    rita = make_user("rita", role=OPCC_REVIEWER)
    adam = make_user("adam", role=OPCC_ADMIN)
    give_role(adam, OPCC_REVIEWER)
    TOTP.activate(adam, generate_totp_secret())
    RecoveryCodes.activate(adam)
    # Invited, not yet arrived: an account with no usable password and a set-password link.
    ivy = make_user("ivy", role=CSP_OFFICER, boroughs=[birmingham])
    ivy.set_unusable_password()
    ivy.save()
    from boroughs.people.tokens import invitation_tokens

    uid = base64.urlsafe_b64encode(str(ivy.pk).encode()).decode().rstrip("=")
    invitation = f"/people/welcome/{uid}/{invitation_tokens.make_token(ivy)}/"

    year, _ = FinancialYear.get_or_create_for_start(2026)
    q1, q2, q3, _q4 = year.ensure_periods()
    AnnexColumn.ensure_for_year(year)
    ensure_flag_types(FlagType)
    project = make_project(birmingham)
    make_project(birmingham, "Business crime")
    funding = MatchFunding.objects.create(project=project, source="Council", amount=Decimal("100"))

    # Q1: submitted and reviewed, with OPCC-only commentary and a flag carrying the marker.
    submitted = make_return(birmingham, q1, by=alice)
    columns = {c.key: c for c in AnnexColumn.objects.for_year(year)}
    opcc_only = Visibility.OPCC_ONLY
    review_services.column_commentary_save(
        return_=submitted, column=columns["alignment"], text=f"{MARKER} column", rag="", visibility=opcc_only,
        expected_version=0, by=rita,
    )  # fmt: skip
    review_services.project_commentary_save(
        return_=submitted, project=project, text=f"{MARKER} project", rag="", visibility=opcc_only,
        expected_version=0, by=rita,
    )  # fmt: skip
    flag = review_services.flag_raise(
        return_=submitted, flag_type=FlagType.objects.first(), column=columns["alignment"],
        note=f"{MARKER} flag", visibility=opcc_only, by=rita,
    )  # fmt: skip
    decision = review_services.return_request_changes(
        return_=submitted, by=rita, reason="Please add the outcomes.", sections=[]
    )

    # Q2: Birmingham's draft, with one of each log entry and an evidence file.
    draft = return_start(borough=birmingham, period=q2, by=alice)
    risk = Risk.objects.create(return_of=draft, description="r", likelihood=2, impact=2, mitigation="m", owner="o")
    CommunityEngagement.objects.create(
        return_of=draft, date=date(2026, 8, 1), title="Road show", description="d", people_reached=10
    )
    opcc_entry = OpccEngagement.objects.create(
        return_of=draft, date=date(2026, 8, 2), what="Launch", pcc_involvement="invited"
    )
    evidence = evidence_add(
        return_=draft, upload=SimpleUploadedFile("report.pdf", PDF_BYTES), kind="pdf", project=None,
        description="", by=alice,
    )  # fmt: skip

    # The roll-up and the annex, whose text is the OPCC's alone.
    rollup = rollup_start(borough=birmingham, year=year, by=rita)
    cell = rollup.cells.filter(row__isnull=True).first()
    RollUpCell.objects.filter(pk=cell.pk).update(text=f"{MARKER} roll-up")
    annex = annex_start(year=year, by=rita)
    annex = getattr(annex, "annex", annex)
    annex_publish(annex=annex, meeting_date=date(2027, 7, 12), by=rita)
    export = AnnexExport.objects.create(annex=annex, format="pdf", requested_by=rita)
    export.start()
    export.finish(content=b"%PDF-1.7 stand-in", filename="annex.pdf", content_type="application/pdf")
    year_data_export = YearDataExport.objects.create(financial_year=year, format="xlsx", requested_by=rita)
    year_data_export.start()
    year_data_export.finish(content=b"PK stand-in", filename="data.xlsx", content_type="application/zip")

    from boroughs.accounts.tokens import issue_token

    api_token, _whole = issue_token(user=alice, name="Dashboard")

    return SimpleNamespace(
        alice=alice,
        bob=bob,
        charlie=charlie,
        rita=rita,
        adam=adam,
        ivy=ivy,
        invitation=invitation,
        api_token=api_token,
        year=year,
        q2=q2,
        q3=q3,
        project=project,
        indicator=project.indicators.first(),
        funding=funding,
        submitted=submitted,
        flag=flag,
        decision=decision,
        draft=draft,
        update=draft.project_updates.first(),
        risk=risk,
        opcc=opcc_entry,
        evidence=evidence,
        cell=cell,
        row=rollup.rows.first(),
        export=export,
        year_data_export=year_data_export,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    media.disable()


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _outcome(client, world, route, persona):
    url = route.url(world)
    if persona == ANONYMOUS:
        client.logout()
    else:
        client.force_login(getattr(world, persona))
    expected = route.expected(persona)
    # Refused personas POST (empty) to a POST-only view: its GET would be 405 whoever asked.
    method = "post" if route.post_only and persona != ANONYMOUS and expected != OK else "get"
    response = getattr(client, method)(url)
    return url, expected, response


@pytest.mark.django_db
@pytest.mark.parametrize("key", WALKED)
def test_access(client, world, key):
    if key not in ROUTES:
        pytest.fail(f"{key} is not in ROUTES: say how to build its URL and who may load it")
    route = ROUTES[key]
    problems = []
    for persona in (ANONYMOUS, *SIGNED_IN):
        url, expected, response = _outcome(client, world, route, persona)
        status = response.status_code
        if expected == LOGIN:
            login = redirect_to_login(url).url
            if status != 302 or response["Location"] != login:
                problems.append(f"{persona}: {status} {response.get('Location', '')}, expected the sign-in redirect")
        elif expected == OK:
            if route.post_only and status != 405:
                problems.append(f"{persona}: {status} for a GET of a POST-only view, expected 405")
            elif status in (403, 404, 500):
                problems.append(f"{persona}: {status}, expected to be let in")
        elif status != expected:
            problems.append(f"{persona}: {status}, expected {expected}")
        if persona == ALICE and status == 200 and MARKER in _body(response):
            problems.append(f"alice sees OPCC-only text ({MARKER}) at {url}")
    assert not problems, f"{key} ({route.url(world)}):\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_opcc_only_text_is_there_to_be_hidden(client, world):
    """The marker check above means something only if the OPCC's pages do show the marked text."""
    client.force_login(world.rita)
    review = client.get(f"/review/returns/{world.submitted.pk}/").text
    for where in ("column", "project", "flag"):
        assert f"{MARKER} {where}" in review
    assert f"{MARKER} roll-up" in client.get(f"/review/roll-up/birmingham/{world.year.label}/").text
    client.force_login(world.alice)
    page = client.get(f"/returns/{world.submitted.pk}/")
    assert page.status_code == 200
    assert "Please add the outcomes." in page.text  # the shared decision reaches her; the OPCC-only text does not
    assert MARKER not in page.text
