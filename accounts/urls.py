"""The staff's own account pages, under /admin/account/ (the sign-in steps are not admin views:
the person is not signed in yet)."""

from django.contrib import admin
from django.urls import path

from . import invitations, login

urlpatterns = [
    path("sign-in/code/", login.sign_in_code, name="account-sign-in-code"),
    path("sign-in/set-up/", login.enrol, name="account-sign-in-enrol"),
    path("recovery-codes/", admin.site.admin_view(login.recovery_codes), name="account-recovery-codes"),
    path("security/", admin.site.admin_view(login.security), name="account-security"),
    path("welcome/<uidb64>/<token>/", invitations.WelcomeView.as_view(), name="account-welcome"),
]
