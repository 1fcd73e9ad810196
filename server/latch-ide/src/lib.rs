//! The workspace: per-file summaries, the merged index, the checks, fixes and hovers.
