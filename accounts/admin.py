"""Staff management in the admin: members of staff, roles (groups) and sign-in locks.

Every route that changes an account or a role goes through `accounts.rights`: an account or role
beyond the person's own rights is shown read-only and every attempt on it is refused (403) with a
message saying why, and recorded in the audit trail.
"""

from axes.conf import settings as axes_settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

import audit
from articles.roles import ROLES
from audit.actions import Action

from . import invitations, rights, second_factor
from .forms import GroupForm, NewStaffForm, StaffForm, role_label
from .models import SignInLock, User

BEYOND_ACCOUNT = _(
    "You cannot change this account: it holds rights that you do not hold yourself. Ask someone "
    "who holds them (a technical administrator)."
)
BEYOND_ROLE = _("You cannot change this role: it holds rights that you do not hold yourself.")


def refuse(request, message, obj=None, route: str = ""):
    """The answer to an attempt beyond the person's rights: a 403 page saying why, and a record."""
    audit.record(Action.ACCESS_REFUSED, by=request.user, obj=obj, request=request, route=route or request.path)
    context = {**admin.site.each_context(request), "title": _("Not allowed"), "message": message}
    return TemplateResponse(request, "admin/accounts/refused.html", context, status=403)


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(group.pk, role_label(group)) for group in Group.objects.filter(name__in=ROLES)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(groups__pk=int(value))
        return queryset


@admin.register(User)
class StaffAdmin(DjangoUserAdmin):
    form = StaffForm
    add_form = NewStaffForm
    # Django's add page explains its two-step "username and password first" form; ours is one step.
    add_form_template = "admin/change_form.html"
    change_form_template = "admin/accounts/user/change_form.html"
    list_display = [
        "username",
        "display_name",
        "email",
        "role_column",
        "is_active",
        "second_factor_column",
        "last_login",
    ]
    list_display_links = ["username", "display_name"]
    list_filter = [RoleFilter, "is_active"]
    search_fields = ["username", "display_name_ar", "display_name_en", "email"]
    ordering = ["username"]
    readonly_fields = ["sign_in_column", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "display_name_ar", "display_name_en", "email"]}),
        (_("Role and access"), {"fields": ["role", "is_active", "sign_in_column", "last_login", "date_joined"]}),
        (_("Public author profile"), {"fields": ["slug", "bio_ar", "bio_en", "photo"], "classes": ["collapse"]}),
        (_("Preferences"), {"fields": ["admin_language"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "display_name_ar", "display_name_en", "email"]}),
        (_("Role and access"), {"fields": ["role", "is_active"]}),
        (_("First sign-in"), {"fields": ["access", "password1", "password2"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the role is shown as a column of text, not as a choice.
            return [(None, {"fields": ["username", "display_name_ar", "display_name_en", "email", "is_active"]})]
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).prefetch_related("groups").annotate(has_second_factor=Exists(confirmed))

    # Who may do what --------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rights.may_act_on(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rights.may_act_on(request.user, obj))

    def _account_within_reach(self, request, object_id):
        """The account, or a refusal when it is beyond the person's rights (or None if missing)."""
        account = self.get_object(request, unquote(object_id))
        if account is None:
            raise Http404(_("No such member of staff."))
        if not rights.may_act_on(request.user, account):
            return account, refuse(request, BEYOND_ACCOUNT, account)
        return account, None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "POST":
            _account, refusal = self._account_within_reach(request, object_id)
            if refusal:
                return refusal
        if object_id and request.method == "GET":
            account = self.get_object(request, unquote(object_id))
            if account is not None and not rights.may_act_on(request.user, account):
                messages.warning(request, BEYOND_ACCOUNT)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        _account, refusal = self._account_within_reach(request, object_id)
        return refusal or super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        # Django's bulk delete already asked has_delete_permission for each account.
        for account in queryset:
            audit.record(Action.STAFF_DELETED, by=request.user, obj=account, request=request)
        super().delete_queryset(request, queryset)

    def delete_model(self, request, obj):
        audit.record(Action.STAFF_DELETED, by=request.user, obj=obj, request=request)
        super().delete_model(request, obj)

    # Saving -----------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            request._staff_role_before = list(obj.groups.filter(name__in=ROLES).values_list("name", flat=True))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        role = form.cleaned_data.get("role")
        details = {"fields": [name for name in form.changed_data if name not in {"password1", "password2"}]}
        if role is not None:
            details["role"] = role.name
        if change:
            details["role_before"] = getattr(request, "_staff_role_before", [])
            audit.record(Action.STAFF_CHANGED, by=request.user, obj=account, request=request, **details)
            return
        audit.record(Action.STAFF_ADDED, by=request.user, obj=account, request=request, **details)
        if form.cleaned_data.get("access") == NewStaffForm.INVITE:
            invitations.tell(request, account, invitations.invite(request, account, request.user))

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("%(name)s is now a member of staff.") % {"name": obj})
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[obj.pk]))

    def response_change(self, request, obj):
        messages.success(request, _("The changes to %(name)s are saved.") % {"name": obj})
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))

    # The account's own pages: password, invitation, second factor -------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<id>/invite/", view(self.invite_view), name="accounts_user_invite"),
            path("<id>/second-factor/reset/", view(self.reset_second_factor_view), name="accounts_user_reset_2fa"),
            *super().get_urls(),
        ]

    def _require_change(self, request, object_id):
        account, refusal = self._account_within_reach(request, object_id)
        if refusal is None and not self.has_change_permission(request, account):
            refusal = refuse(request, _("You may not change members of staff."), account)
        return account, refusal

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        account, refusal = self._require_change(request, id)
        if refusal:
            return refusal
        form = SetPasswordForm(account, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            audit.record(Action.PASSWORD_SET, by=request.user, obj=account, request=request, through="staff admin")
            if account == request.user:
                update_session_auth_hash(request, account)
            messages.success(request, _("The new password of %(name)s is set.") % {"name": account})
            return redirect("admin:accounts_user_change", account.pk)
        return self._account_page(request, account, "admin/accounts/user/set_password.html", _("New password"), form)

    def invite_view(self, request, id):
        account, refusal = self._require_change(request, id)
        if refusal:
            return refusal
        if request.method == "POST":
            unsent = invitations.invite(request, account, request.user)
            invitations.tell(request, account, unsent)
            return redirect("admin:accounts_user_change", account.pk)
        return self._account_page(request, account, "admin/accounts/user/invite.html", _("Send an invitation"))

    def reset_second_factor_view(self, request, id):
        account, refusal = self._require_change(request, id)
        if refusal:
            return refusal
        if request.method == "POST":
            second_factor.reset(account, request.user, request)
            messages.success(
                request,
                _("The two-factor sign-in of %(name)s is reset. They will set it up again at their next sign-in.")
                % {"name": account},
            )
            return redirect("admin:accounts_user_change", account.pk)
        return self._account_page(
            request, account, "admin/accounts/user/reset_second_factor.html", _("Reset two-factor sign-in")
        )

    def _account_page(self, request, account, template, title, form=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "original": account,
            "account": account,
            "form": form,
        }
        return TemplateResponse(request, template, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["account_actions"] = self.has_change_permission(request, obj)
            context["second_factor_enrolled"] = second_factor.enrolled(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Columns ----------------------------------------------------------------------------------

    @admin.display(description=_("role"))
    def role_column(self, obj):
        roles = "، ".join(role_label(g) for g in obj.groups.all())
        return roles or (_("administrator") if obj.is_superuser else "—")

    @admin.display(description=_("two-factor sign-in"), boolean=True)
    def second_factor_column(self, obj):
        return obj.has_second_factor

    @admin.display(description=_("sign-in"))
    def sign_in_column(self, obj):
        if obj.pk is None:
            return "—"
        password = _("password set") if obj.has_usable_password() else _("no password yet (invitation pending)")
        if second_factor.enrolled(obj):
            factor = _("two-factor sign-in set up")
        elif second_factor.required(obj):
            factor = _("two-factor sign-in required, to be set up at the next sign-in")
        else:
            factor = _("no two-factor sign-in")
        return format_html("{}؛ {}", password, factor)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    form = GroupForm
    list_display = ["role_name", "member_count"]
    search_fields = ["name"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(members=Count("user", distinct=True))

    @admin.display(description=_("role"), ordering="name")
    def role_name(self, obj):
        return role_label(obj)

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj):
        return obj.members

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rights.may_act_on_group(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.name not in ROLES and rights.may_act_on_group(request.user, obj)))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        group = self.get_object(request, unquote(object_id)) if object_id else None
        if group is not None:
            if not rights.may_act_on_group(request.user, group):
                if request.method == "POST":
                    return refuse(request, BEYOND_ROLE, group)
                messages.warning(request, BEYOND_ROLE)
            extra_context = {**(extra_context or {}), "subtitle": role_label(group)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if group is not None and not rights.may_act_on_group(request.user, group):
            return refuse(request, BEYOND_ROLE, group)
        return super().delete_view(request, object_id, extra_context)

    def save_related(self, request, form, formsets, change):
        before = rights.group_permissions(form.instance) if change else set()
        super().save_related(request, form, formsets, change)
        after = rights.group_permissions(form.instance)
        if before != after or not change:
            audit.record(
                Action.GROUP_CHANGED,
                by=request.user,
                obj=form.instance,
                request=request,
                added=sorted(after - before),
                removed=sorted(before - after),
            )


@admin.register(SignInLock)
class SignInLockAdmin(admin.ModelAdmin):
    """django-axes' failure records, read as locks: who, from where, how many failures, until when."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "state"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["lift"]
    list_display_links = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("state"))
    def state(self, obj):
        until = obj.attempt_time + axes_settings.AXES_COOLOFF_TIME
        if obj.failures_since_start >= axes_settings.AXES_FAILURE_LIMIT and until > timezone.now():
            return _("locked until %(time)s") % {"time": date_format(timezone.localtime(until), "TIME_FORMAT")}
        return _("not locked")

    @admin.action(description=_("Lift the selected locks"), permissions=["delete"])
    def lift(self, request, queryset):
        with transaction.atomic():
            for lock in queryset:
                audit.record(
                    Action.LOCK_LIFTED,
                    by=request.user,
                    obj=User.objects.filter(username=lock.username).first(),
                    request=request,
                    username=lock.username,
                    locked_address=lock.ip_address,
                )
            count = queryset.count()
            queryset.delete()
        messages.success(request, _("Locks lifted: %(count)s.") % {"count": count})
