//! The classic TWS API encoding, served to clients that agree on a version below 201:
//! after the 4-byte length, a body of NUL-terminated text fields, the message id first.
//!
//! - [`replies`]: the field layout of every message the simulator sends.
//! - [`requests`]: reading every request the simulator serves.

pub mod replies;
pub mod requests;

use std::fmt::Display;

use super::proto;
use super::request::BadRequest;

/// Lowest classic version served: from here contract details carry size rules and no
/// version field. `ib_async` 2.x offers 157..178 and so is served at 178.
pub const MIN_VERSION: i32 = 164;
/// Highest classic version whose message layouts the simulator writes.
pub const MAX_VERSION: i32 = 178;

/// A classic message being written: the id, then each field NUL-terminated.
#[derive(Debug)]
pub struct Fields {
    body: Vec<u8>,
}

impl Fields {
    /// Starts message `id`.
    pub fn new(id: i32) -> Self {
        let mut fields = Self { body: Vec::new() };
        fields.put(id);
        fields
    }

    /// Appends one field; a NUL inside the value would split it, so it becomes a space.
    pub fn put(&mut self, value: impl Display) -> &mut Self {
        let text = value.to_string();
        self.body
            .extend(text.bytes().map(|b| if b == 0 { b' ' } else { b }));
        self.body.push(0);
        self
    }

    /// Appends a field that is empty when unset.
    pub fn opt<T: Display>(&mut self, value: Option<T>) -> &mut Self {
        match value {
            Some(value) => self.put(value),
            None => self.blank(1),
        }
    }

    /// Appends a boolean as `1` or `0`.
    pub fn flag(&mut self, value: bool) -> &mut Self {
        self.put(u8::from(value))
    }

    /// Appends `count` empty fields (values the simulator leaves unset).
    pub fn blank(&mut self, count: usize) -> &mut Self {
        self.body.extend(std::iter::repeat_n(0u8, count));
        self
    }

    /// Appends a contract as most messages carry it: id, symbol, type, expiry, strike,
    /// right, multiplier, exchange (or primary exchange), currency, local symbol, class.
    pub fn contract(&mut self, contract: Option<&proto::Contract>, primary: bool) -> &mut Self {
        let c = contract.cloned().unwrap_or_default();
        let exchange = if primary { c.primary_exch } else { c.exchange };
        self.opt(c.con_id)
            .opt(c.symbol)
            .opt(c.sec_type)
            .opt(c.last_trade_date_or_contract_month)
            .put(c.strike.unwrap_or(0.0))
            .opt(c.right)
            .opt(c.multiplier)
            .opt(exchange)
            .opt(c.currency)
            .opt(c.local_symbol)
            .opt(c.trading_class)
    }

    /// The complete frame: length, then the fields.
    pub fn into_frame(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.body.len());
        out.extend_from_slice(&(self.body.len() as u32).to_be_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

/// A classic message being read, field by field after its id.
#[derive(Debug)]
pub struct FieldReader<'a> {
    id: i32,
    fields: Vec<&'a str>,
    next: usize,
}

impl<'a> FieldReader<'a> {
    /// Splits a frame body into its fields and reads the message id.
    pub fn parse(body: &'a [u8]) -> Result<Self, BadRequest> {
        let text = std::str::from_utf8(body)
            .map_err(|_| BadRequest("a text-encoded message is not UTF-8".into()))?;
        let Some(text) = text.strip_suffix('\0') else {
            return Err(BadRequest(
                "a text-encoded message must end with a NUL".into(),
            ));
        };
        let fields: Vec<&str> = text.split('\0').collect();
        let id = fields[0]
            .parse()
            .map_err(|_| BadRequest(format!("`{}` is not a message id", fields[0])))?;
        Ok(Self {
            id,
            fields,
            next: 1,
        })
    }

    /// The message id.
    pub fn id(&self) -> i32 {
        self.id
    }

    /// The next field as text.
    pub fn text(&mut self, name: &str) -> Result<&'a str, BadRequest> {
        let field = self.fields.get(self.next).copied().ok_or_else(|| {
            BadRequest(format!(
                "message {} ends before field {} ({name})",
                self.id, self.next
            ))
        })?;
        self.next += 1;
        Ok(field)
    }

    /// The next field as owned text; `None` when empty.
    pub fn string(&mut self, name: &str) -> Result<Option<String>, BadRequest> {
        let field = self.text(name)?;
        Ok((!field.is_empty()).then(|| field.to_string()))
    }

    /// The next field as a number; `None` when empty.
    pub fn number<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>, BadRequest> {
        let field = self.text(name)?;
        if field.is_empty() {
            return Ok(None);
        }
        field.parse().map(Some).map_err(|_| {
            BadRequest(format!(
                "message {} field {} ({name}): `{field}` is not a number",
                self.id,
                self.next - 1
            ))
        })
    }

    /// The next field as a boolean: `1`/`true` or `0`/`false`/empty.
    pub fn flag(&mut self, name: &str) -> Result<bool, BadRequest> {
        match self.text(name)? {
            "1" | "true" | "True" => Ok(true),
            "" | "0" | "false" | "False" => Ok(false),
            other => Err(BadRequest(format!(
                "message {} field {} ({name}): `{other}` is not a boolean",
                self.id,
                self.next - 1
            ))),
        }
    }

    /// Skips `count` fields the simulator does not use.
    pub fn skip(&mut self, count: usize, name: &str) -> Result<(), BadRequest> {
        for _ in 0..count {
            self.text(name)?;
        }
        Ok(())
    }

    /// Reads a contract as requests carry it: id, symbol, type, expiry, strike, right,
    /// multiplier, exchange, primary exchange, currency, local symbol, trading class.
    pub fn contract(&mut self) -> Result<proto::Contract, BadRequest> {
        let con_id = self.number("conId")?;
        let symbol = self.string("symbol")?;
        let sec_type = self.string("secType")?;
        self.skip(4, "expiry, strike, right, multiplier")?;
        Ok(proto::Contract {
            con_id,
            symbol,
            sec_type,
            last_trade_date_or_contract_month: None,
            strike: None,
            right: None,
            multiplier: None,
            exchange: self.string("exchange")?,
            primary_exch: self.string("primaryExchange")?,
            currency: self.string("currency")?,
            local_symbol: self.string("localSymbol")?,
            trading_class: self.string("tradingClass")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_nul_terminated_after_a_length() {
        let mut fields = Fields::new(9);
        fields.put(1).opt(None::<i32>).flag(true).put("a\0b");
        assert_eq!(fields.into_frame(), b"\0\0\0\x0b9\x001\x00\x001\x00a b\x00");
    }

    #[test]
    fn readers_name_the_field_at_fault() {
        let mut reader = FieldReader::parse(b"8\x001\x00x\x00").unwrap();
        assert_eq!(reader.id(), 8);
        reader.skip(1, "version").unwrap();
        let err = reader.number::<i32>("numIds").unwrap_err();
        assert_eq!(err.0, "message 8 field 2 (numIds): `x` is not a number");
        let err = reader.text("extra").unwrap_err();
        assert_eq!(err.0, "message 8 ends before field 3 (extra)");
        assert!(FieldReader::parse(b"8\x001").is_err(), "no final NUL");
        assert!(FieldReader::parse(b"x\x00").is_err(), "no id");
    }

    #[test]
    fn contracts_have_eleven_fields_out_and_twelve_in() {
        let contract = proto::Contract {
            con_id: Some(756733),
            symbol: Some("SPY".into()),
            sec_type: Some("STK".into()),
            exchange: Some("SMART".into()),
            primary_exch: Some("ARCA".into()),
            currency: Some("USD".into()),
            local_symbol: Some("SPY".into()),
            trading_class: Some("SPY".into()),
            ..Default::default()
        };
        let mut fields = Fields::new(61);
        fields.contract(Some(&contract), true);
        assert_eq!(
            &fields.into_frame()[4..],
            b"61\x00756733\x00SPY\x00STK\x00\x000\x00\x00\x00ARCA\x00USD\x00SPY\x00SPY\x00"
        );
        let request =
            b"9\x00756733\x00SPY\x00STK\x00\x000\x00\x00\x00SMART\x00ARCA\x00USD\x00SPY\x00SPY\x00";
        let mut reader = FieldReader::parse(request).unwrap();
        assert_eq!(reader.contract().unwrap(), contract);
    }
}
