"""The escalation matrix: every role, on every staff and role admin route, tries to gain rights.

For each attempt the test measures what the person could gain: the rights of every account they
now control (themselves, accounts they created, accounts whose password they set or got an
invitation link for) and every right added to any account or role. None may exceed what the
person held before, and no superuser account may change at all.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import rights
from accounts.models import User
from audit.models import Entry

from .factories import UserFactory
from .second_factor import authenticator

pytestmark = pytest.mark.django_db

STAFF_RIGHTS = [
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "auth.view_group",
    "auth.change_group",
]


def permission(code: str) -> Permission:
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.fixture
def people(db):
    """The actors, by role, and the accounts they aim at."""
    journalist = UserFactory(username="journalist", role="Journalists")
    editor = UserFactory(username="editor", role="Editors")
    chief = UserFactory(username="chief", role="Chief editors")
    # An editor who was also given staff management: the rule is about rights held, not roles.
    staff_manager = UserFactory(username="staff-manager", role="Editors")
    staff_manager.user_permissions.add(*[permission(code) for code in STAFF_RIGHTS])
    root = UserFactory(username="root", is_superuser=True)
    authenticator(root)
    other_chief = UserFactory(username="chief2", role="Chief editors")
    victim = UserFactory(username="victim", role="Journalists")
    return {
        "journalist": journalist,
        "editor": editor,
        "chief": chief,
        "staff_manager": staff_manager,
        "root": root,
        "other_chief": other_chief,
        "victim": victim,
    }


def snapshot():
    users = {
        u.pk: {
            "password": u.password,
            "email": u.email,
            "is_active": u.is_active,
            "is_superuser": u.is_superuser,
            "held": frozenset(rights.held(u)),
            "devices": TOTPDevice.objects.filter(user=u).count(),
        }
        for u in User.objects.all()
    }
    groups = {g.pk: frozenset(rights.group_permissions(g)) for g in Group.objects.all()}
    return users, groups


def all_permission_ids():
    return [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]


def role(name):
    return str(Group.objects.get(name=name).pk)


def staff_fields(username, role_name="Chief editors", **extra):
    data = {
        "username": username,
        "display_name_ar": "حساب تجريبي",
        "display_name_en": "",
        "email": f"{username}@example.org",
        "role": role(role_name),
        "is_active": "on",
        "admin_language": "ar",
        # Fields the form does not have, posted anyway: they must be ignored.
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": all_permission_ids(),
        "groups": [str(pk) for pk in Group.objects.values_list("pk", flat=True)],
        "_save": "1",
    }
    data.update(extra)
    return data


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


# Each route: (name, function(client, actor, people) -> response). Every one is an attempt to gain.
ROUTES = {
    "staff list": lambda c, a, p: c.get(reverse("admin:accounts_user_changelist")),
    "add a chief editor with a known password": lambda c, a, p: c.post(
        reverse("admin:accounts_user_add"),
        staff_fields("sock-puppet", access="password", password1="nine-olive-trees-7", password2="nine-olive-trees-7"),
    ),
    "add an account by invitation": lambda c, a, p: c.post(
        reverse("admin:accounts_user_add"), staff_fields("sock-puppet2", access="invite")
    ),
    "promote oneself": lambda c, a, p: c.post(change_url(a), staff_fields(a.username)),
    "promote a colleague": lambda c, a, p: c.post(change_url(p["victim"]), staff_fields("victim")),
    "change a superuser": lambda c, a, p: c.post(
        change_url(p["root"]), staff_fields("root", email="attacker@example.org", is_active="")
    ),
    "change another chief editor": lambda c, a, p: c.post(
        change_url(p["other_chief"]), staff_fields("chief2", email="attacker@example.org")
    ),
    "set a superuser's password": lambda c, a, p: c.post(
        reverse("admin:auth_user_password_change", args=[p["root"].pk]),
        {"new_password1": "nine-olive-trees-7", "new_password2": "nine-olive-trees-7"},
    ),
    "set a chief editor's password": lambda c, a, p: c.post(
        reverse("admin:auth_user_password_change", args=[p["other_chief"].pk]),
        {"new_password1": "nine-olive-trees-7", "new_password2": "nine-olive-trees-7"},
    ),
    "invite a superuser (get a set-password link)": lambda c, a, p: c.post(
        reverse("admin:accounts_user_invite", args=[p["root"].pk]), follow=True
    ),
    "invite a chief editor": lambda c, a, p: c.post(
        reverse("admin:accounts_user_invite", args=[p["other_chief"].pk]), follow=True
    ),
    "reset a superuser's second factor": lambda c, a, p: c.post(
        reverse("admin:accounts_user_reset_2fa", args=[p["root"].pk])
    ),
    "delete a superuser": lambda c, a, p: c.post(
        reverse("admin:accounts_user_delete", args=[p["root"].pk]), {"post": "yes"}
    ),
    "a superuser's history": lambda c, a, p: c.get(reverse("admin:accounts_user_history", args=[p["root"].pk])),
    "bulk delete including a superuser": lambda c, a, p: c.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [p["root"].pk, p["victim"].pk], "post": "yes"},
    ),
    "give one's own role every permission": lambda c, a, p: c.post(
        reverse("admin:auth_group_change", args=[a.groups.first().pk]),
        {"name": a.groups.first().name, "permissions": all_permission_ids()},
    ),
    "give the Chief editors role every permission": lambda c, a, p: c.post(
        reverse("admin:auth_group_change", args=[role("Chief editors")]),
        {"name": "Chief editors", "permissions": all_permission_ids()},
    ),
    "give the Journalists role the chief editors' rights": lambda c, a, p: c.post(
        reverse("admin:auth_group_change", args=[role("Journalists")]),
        {
            "name": "Journalists",
            "permissions": [
                str(pk) for pk in Group.objects.get(name="Chief editors").permissions.values_list("pk", flat=True)
            ],
        },
    ),
    "make a new role with every permission": lambda c, a, p: c.post(
        reverse("admin:auth_group_add"), {"name": "Everything", "permissions": all_permission_ids()}
    ),
    "delete the Chief editors role": lambda c, a, p: c.post(
        reverse("admin:auth_group_delete", args=[role("Chief editors")]), {"post": "yes"}
    ),
}
ACTORS = ["journalist", "editor", "chief", "staff_manager"]


def invitation_links(response) -> list[str]:
    text = response.content.decode() if hasattr(response, "content") else ""
    return re.findall(r"/admin/account/welcome/[^\s<\"]+/", text)


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_no_route_gives_anyone_more_than_the_person_using_it_holds(client, people, actor_name, route):
    actor = people[actor_name]
    mine = frozenset(rights.held(actor))
    users_before, groups_before = snapshot()
    client.force_login(actor)

    response = ROUTES[route](client, actor, people)
    assert response.status_code < 500, f"{route}: {response.status_code}"

    users_after, groups_after = snapshot()
    # Accounts the actor now controls: themselves, new ones, those whose password they set, and
    # those they got an invitation link for.
    controlled = {actor.pk} | (users_after.keys() - users_before.keys())
    controlled |= {
        pk
        for pk, before in users_before.items()
        if pk in users_after and users_after[pk]["password"] != before["password"]
    }
    invited = Entry.objects.filter(action="invitation_sent", actor_id=actor.pk).values_list("object_id", flat=True)
    if invitation_links(response):
        controlled |= {int(pk) for pk in invited}
    gained = set()
    for pk in controlled:
        gained |= users_after.get(pk, {"held": frozenset()})["held"] - mine
    for pk, after in users_after.items():
        gained |= after["held"] - users_before.get(pk, {"held": frozenset()})["held"] - mine
    for pk, after in groups_after.items():
        gained |= after - groups_before.get(pk, frozenset()) - mine
    assert not gained, f"{actor_name} gained {sorted(gained)} through “{route}”"

    root = people["root"].pk
    assert users_after.get(root) == users_before[root], f"{actor_name} changed a superuser through “{route}”"
    assert User.objects.filter(is_superuser=True).count() == 1


@pytest.mark.parametrize(
    "route",
    [
        "change a superuser",
        "set a superuser's password",
        "invite a superuser (get a set-password link)",
        "reset a superuser's second factor",
        "delete a superuser",
    ],
)
def test_a_chief_editor_is_told_in_arabic_why_a_superuser_is_out_of_reach(client, people, route):
    client.force_login(people["chief"])
    response = ROUTES[route](client, people["chief"], people)
    assert response.status_code == 403
    assert "فيه صلاحيات لا تملكها أنت" in response.content.decode()
    assert Entry.objects.filter(action="access_refused", actor_id=people["chief"].pk).exists()


def test_a_chief_editor_sees_a_superuser_read_only_with_the_reason(client, people):
    client.force_login(people["chief"])
    page = client.get(change_url(people["root"])).content.decode()
    assert "فيه صلاحيات لا تملكها أنت" in page
    assert 'name="username"' not in page, "nothing to edit"
    assert reverse("admin:auth_user_password_change", args=[people["root"].pk]) not in page


def test_the_role_page_offers_only_permissions_the_person_holds(client, people):
    client.force_login(people["staff_manager"])
    form = client.get(reverse("admin:auth_group_change", args=[role("Journalists")])).context["adminform"].form
    offered = {f"{p.content_type.app_label}.{p.codename}" for p in form.fields["permissions"].queryset}
    assert offered == rights.held(people["staff_manager"])
    assert "articles.view_source_identity" not in offered


def test_a_staff_manager_cannot_offer_the_chief_editor_role(client, people):
    client.force_login(people["staff_manager"])
    form = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert [g.name for g in form.fields["role"].queryset] == ["Journalists", "Editors"]


def test_a_chief_editor_still_manages_journalists_and_editors(client, people):
    client.force_login(people["chief"])
    response = client.post(change_url(people["victim"]), staff_fields("victim", role_name="Editors"))
    assert response.status_code == 302
    victim = User.objects.get(pk=people["victim"].pk)
    assert victim.groups.get().name == "Editors" and not victim.is_superuser
    assert not victim.user_permissions.exists(), "posted user_permissions are ignored"
