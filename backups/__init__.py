"""Backups of the whole newsroom: the database and the media files it refers to, as one set.

`manifest` describes a set and checks it; `postgres` runs pg_dump and pg_restore and reads a
database's tables; `making` writes a set, `restoring` rebuilds a database and the media from one.
The management commands `backup` and `restore` only parse arguments and call those two.
Nothing in the newsroom's own apps imports this package.
"""
