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
