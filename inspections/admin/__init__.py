"""Admin for data editors: inspections with their ratings, findings and statements inline.

Impossible edits are refused as form errors: model `clean()` checks cross-row rules and
Django validates the named database constraints before saving. Every model admin keeps a
history page listing each change (who, when, why, old and new values) with a revert; deleting a
trust or an inspection can be undone from "Recently deleted".

`alerts` email alerts' followers and runs (counts; addresses for superusers only);
`change_history` the history pages and change reasons; `inlines` the rows edited inside a record's page;
`record_admins` the models' admins; `deletions` "Recently deleted" with its Restore button; `imports` what the CQC
import keeps beside the record (its runs, what it could not read, the newer assessments).
"""

from inspections.admin import deletions, imports, record_admins, subscribers  # noqa: F401  (registers the admins)
