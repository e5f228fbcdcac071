"""A staff member's own preferences, which everyone may change without rights over staff records."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["admin_language"]
        widgets = {"admin_language": forms.RadioSelect}


def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(form.instance.admin_language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("admin:index")
    context = {**admin.site.each_context(request), "title": _("My preferences"), "form": form}
    return TemplateResponse(request, "admin/preferences.html", context)
