"""Forms of staff management: a member of staff (name, e-mail, role, active, first access), a role's
permissions, and an administrator's new password for someone. Every choice offered is already
limited to what the person filling the form may grant (accounts.rights)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, Permission
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from articles.roles import ROLES

from . import rights
from .models import User

# The role groups keep their contract names; people see these.
ROLE_LABELS = {"Journalists": _("Journalist"), "Editors": _("Editor"), "Chief editors": _("Chief editor")}
ACTION_LABELS = {"add": _("add"), "change": _("change"), "delete": _("delete"), "view": _("view")}


def role_label(group: Group) -> str:
    return str(ROLE_LABELS.get(group.name, group.name))


def role_groups():
    order = Case(*[When(name=name, then=Value(i)) for i, name in enumerate(ROLES)], output_field=IntegerField())
    return Group.objects.filter(name__in=ROLES).order_by(order)


def permission_label(permission: Permission) -> str:
    """ "Story: add" rather than "Can add article": the model's name in the reader's language first."""
    model = permission.content_type.model_class()
    action, _sep, rest = permission.codename.partition("_")
    if model is not None and action in ACTION_LABELS and rest == model._meta.model_name:
        return f"{model._meta.verbose_name}: {ACTION_LABELS[action]}"
    return str(_(permission.name))


class RoleField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return role_label(obj)


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class StaffForm(forms.ModelForm):
    """A member of staff as the newsroom sees one. Staff status follows the role."""

    actor = None  # the person filling the form; set by the admin for each request

    role = RoleField(
        queryset=Group.objects.none(),
        label=_("role"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("What this person may do in the newsroom. You can give only roles whose rights you hold."),
    )

    class Meta:
        model = User
        fields = ["username", "display_name_ar", "display_name_en", "email", "is_active"]
        labels = {
            "username": _("sign-in name"),
            "display_name_ar": _("name (Arabic)"),
            "display_name_en": _("name (English)"),
            "email": _("e-mail"),
            "is_active": _("may sign in"),
        }
        help_texts = {
            "username": _("What this person types to sign in: letters, digits and @ . + - _ only, no spaces."),
            "display_name_ar": _("As it appears in bylines and in the newsroom."),
            "is_active": _("Untick to stop this person signing in, without deleting anything they wrote."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "display_name_ar" in self.fields:
            self.fields["display_name_ar"].required = True
        if "role" not in self.fields:
            return
        field = self.fields["role"]
        field.queryset = rights.grantable_groups(self.actor, role_groups())
        if self.instance.pk:
            current = self.instance.groups.filter(name__in=ROLES).first()
            if current is not None:
                field.initial = current.pk
            # A superuser needs no role; everyone else has exactly one.
            field.required = not self.instance.is_superuser

    def clean_role(self):
        role = self.cleaned_data.get("role")
        # The choices are already limited; this keeps the rule whole if they ever are not.
        if role is not None and rights.beyond(self.actor, role.permissions.select_related("content_type")):
            raise forms.ValidationError(_("You cannot give a role with rights you do not hold yourself."))
        return role

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("role") is not None:
            user.is_staff = True
        if commit:
            user.save()
            self.save_role(user)
        return user

    def save_role(self, user) -> None:
        role = self.cleaned_data.get("role")
        if role is None:
            return
        user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(pk=role.pk))
        user.groups.add(role)

    def _save_m2m(self):
        super()._save_m2m()
        self.save_role(self.instance)


class NewStaffForm(StaffForm):
    """Adding a member of staff: the same, and how they will first sign in."""

    INVITE, PASSWORD = "invite", "password"
    access = forms.ChoiceField(
        label=_("first sign-in"),
        choices=[
            (INVITE, _("Send an invitation: a one-time link with which they choose their own password")),
            (PASSWORD, _("Set a first password now and give it to them")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("first password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("first password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access") != self.PASSWORD:
            return cleaned
        first, again = cleaned.get("password1"), cleaned.get("password2")
        if not first:
            self.add_error("password1", _("Type the first password, or choose to send an invitation."))
        elif first != again:
            self.add_error("password2", _("The two passwords are not the same."))
        else:
            self.instance.username = cleaned.get("username") or ""
            try:
                password_validation.validate_password(first, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data["access"] == self.PASSWORD:
            user.set_password(self.cleaned_data["password1"])
        else:
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_role(user)
        return user


class GroupForm(forms.ModelForm):
    """A role's permissions, offered only among those the person editing holds."""

    actor = None

    permissions = PermissionsField(
        queryset=Permission.objects.none(),
        required=False,
        label=_("permissions"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Group
        fields = ["name", "permissions"]
        labels = {"name": _("name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = (
            rights.grantable_permissions(self.actor)
            .select_related("content_type")
            .order_by("content_type__app_label", "content_type__model", "codename")
        )
        if self.instance.pk and self.instance.name in ROLES:
            # Code and other parts of the system know the roles by these names.
            self.fields["name"].disabled = True

    def clean_permissions(self):
        chosen = self.cleaned_data.get("permissions")
        if chosen and rights.beyond(self.actor, chosen.select_related("content_type")):
            raise forms.ValidationError(_("You cannot give a permission you do not hold yourself."))
        return chosen


class NewPasswordForm(AdminPasswordChangeForm):
    """Django's form for setting someone's password, without the technical "password-based
    authentication: enabled/disabled" switch."""

    usable_password = None
