//! The published site in memory: what the server answers from. A rebuild
//! replaces the files it changed in one step, so a request sees either the
//! old or the new version of a batch, never half of it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

/// One published file.
#[derive(Debug, Clone)]
pub struct Served {
    pub bytes: Arc<Vec<u8>>,
    /// The rebuild that last made this file (a page counts as made when it
    /// was rendered, even if it came out the same).
    pub generation: u64,
}

#[derive(Debug, Default)]
pub struct Store {
    files: RwLock<HashMap<String, Served>>,
}

impl Store {
    pub fn get(&self, path: &str) -> Option<Served> {
        self.read().get(path).cloned()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.read().contains_key(path)
    }

    /// Every file, by path: for tests and for comparing with a full build.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.read()
            .iter()
            .map(|(k, v)| (k.clone(), v.bytes.as_ref().clone()))
            .collect()
    }

    /// Applies a batch: `Some` puts a file, `None` removes it.
    pub(crate) fn apply(&self, batch: Vec<(String, Option<Served>)>) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        for (path, file) in batch {
            match file {
                Some(f) => {
                    files.insert(path, f);
                }
                None => {
                    files.remove(&path);
                }
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Served>> {
        // A panic while holding the lock leaves the map whole (every write
        // is an insert or remove), so a poisoned lock is still usable.
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }
}
