"""`{% picture image role %}`: the one way templates show an image.

Roles name where the picture appears, so sizes and crops are decided in one place
(`articles.images.ROLES`):

- "lead": the whole picture, full column width, loaded eagerly with high priority (it is the
  largest element above the fold);
- "card": a 16:9 crop around the focal point, lazy;
- "thumb": a 1:1 crop, lazy.

The tag reads stored renditions from `image.renditions.all()`; on listings prefetch them
(`prefetch_related("lead_image__renditions")`) or each picture costs a query. It never makes a
file during a request: an image without renditions is shown from its (cleaned) original.
"""

from django import template

from .. import images

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, role="card", loading="lazy", css_class="", sizes=""):
    if not image or not image.file:
        return {"image": None}
    sources = images.picture_sources(image, role)
    return {
        "image": image,
        "sources": sources,
        "alt": image.alt,
        "role": role,
        "loading": "eager" if role == "lead" else loading,
        "css_class": css_class,
        "sizes": sizes or sources.sizes,
    }
