from django import template

from ..admin.queues import dashboard

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard.html")
def newsroom_dashboard(user):
    return {"queues": dashboard(user)}
