//! Edits (WIP)
