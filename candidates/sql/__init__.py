"""SQL that migrations run, frozen: each module is the SQL of one migration, never edited.

A migration must do the same thing on every database, on every day it is run. Live code
changes; these modules do not. A change to the search index is a new module (v2) and a new
migration that drops what v1 made and installs v2.
"""
