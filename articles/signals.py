"""What the newsroom announces to the rest of the system, which `articles` never imports.

`story_moved` is sent by `workflow.transition()` inside the move's transaction, after the story,
its `Transition` and its revision are written: a receiver that writes (enqueues a delivery job,
records a version for subscribers) commits or rolls back with the move. Receivers get
`article` (locked, already saved), `move` (the `workflow.Move` row) and `transition`. Keep them
small: they run while the story's row is locked.

`renditions_changed` is sent after the commit that stored new renditions of a picture (or removed
stale ones), with `image_id`: a page that shows the picture from elsewhere than a story's lead
image (a live page's entries) renews its cached copies. `articles` renews the pages of the public
stories the picture leads itself.
"""

from django.dispatch import Signal

story_moved = Signal()
renditions_changed = Signal()
