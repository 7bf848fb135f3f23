//! Common types and traits for builders

// Common module doesn't define any types currently as ResponseContext
// is defined in subscriptions::common and used by both sync and async builders
