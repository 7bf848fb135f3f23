//! Query strings (`a=1&b=x%3Ay`) as decoded pairs.

/// The decoded `(name, value)` pairs of `query`, in order.
pub fn parse(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// The first value of `name` in `pairs`.
pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_and_plus() {
        let pairs = parse("key=app.id%3Asecret%2B1&v=2&empty=&flag&x=a+b");
        assert_eq!(get(&pairs, "key"), Some("app.id:secret+1"));
        assert_eq!(get(&pairs, "v"), Some("2"));
        assert_eq!(get(&pairs, "empty"), Some(""));
        assert_eq!(get(&pairs, "flag"), Some(""));
        assert_eq!(get(&pairs, "x"), Some("a b"));
        assert_eq!(get(&pairs, "missing"), None);
    }
}
