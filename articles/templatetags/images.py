"""`{% picture image role %}`: the one way templates show an image.

Roles name where the picture appears ("lead", "card", "thumb"), so sizes and crops are decided
in one place.
"""

from django import template

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, role="card", loading="lazy", css_class=""):
    return {"image": image, "role": role, "loading": "eager" if role == "lead" else loading, "css_class": css_class}
