//! Constants used throughout the accounts module
