//! Patrol routes (filled below).
