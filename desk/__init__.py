"""The desk: the newsroom's day around the stories.

- `budget` plans the day's stories (items per section, assigned, started as stories);
- `calendar` lays planned items, scheduled stories and embargoes out over a week or a day;
- `notifications` tells people what is new for them (in the admin, and by mail when configured);
- `live` runs a story as a live page of timestamped entries that readers' pages fetch by polling;
- `figures` and `charts` give the dashboard its numbers and draws them as SVG;
- `autosave` keeps what someone is typing in a story form until it is saved.

Dependency direction: `desk` calls `articles`' domain functions and reads its models; `articles`
never imports `desk`. It announces moves with `articles.signals.story_moved`, which `desk`
listens to (see `apps.DeskConfig.ready`).
"""
