//! Path naming shared by every stage: a path's folder and file name with
//! the fallbacks a bare relative name needs.

use std::path::Path;

/// The folder `path` lives in; `.` for a bare file name.
pub fn parent_or_dot(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The file name of `path` as text (lossy for non-UTF-8 names); empty when
/// it has none.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Serialises a path as text for JSON (serde's own refuses a name that is
/// not UTF-8); such bytes become U+FFFD.
pub fn serialize_lossy<P: AsRef<Path>, S: serde::Serializer>(
    p: &P,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.as_ref().to_string_lossy())
}
