//! Atomic file writes: a temporary file beside the target, then a rename.
//!
//! A crash or error midway leaves either the old file or none, never half a
//! file; readers of the target never see a partial write.

use std::fs::File;
use std::path::{Path, PathBuf};

/// The temporary path used while writing `target`.
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Creates `target`'s parent folders, lets `write` fill a temporary file, syncs
/// it and renames it over `target`. On any error the temporary file is removed
/// and `target` is untouched.
pub fn write_atomic<E>(
    target: &Path,
    write: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<std::io::Error>,
{
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = temp_path(target);
    let result = (|| {
        let mut file = File::create(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, target)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `target` atomically.
pub fn write_bytes(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic(target, |f| std::io::Write::write_all(f, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_keeps_the_old_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        write_bytes(&target, b"old").unwrap();
        let r: std::io::Result<()> = write_atomic(&target, |f| {
            std::io::Write::write_all(f, b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
