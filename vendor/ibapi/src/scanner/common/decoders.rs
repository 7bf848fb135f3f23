use crate::messages::ResponseMessage;
use crate::Error;

use super::super::ScannerData;

// Both ScannerParameters and ScannerData gate at `PROTOBUF_SCAN_DATA` (210),
// at or below the connection floor (`require_protobuf_support`), so the server
// always emits proto framing for these messages — text-framed arrival is
// rejected via `ResponseMessage::require_proto`, which raises
// `Error::UnexpectedWireFormat` (docs/rules/wire/proto-only-decoding.md).

pub(crate) fn decode_scanner_parameters_proto(p: crate::proto::ScannerParameters) -> Result<String, Error> {
    Ok(p.xml.unwrap_or_default())
}

pub(in crate::scanner) fn decode_scanner_data(message: &ResponseMessage) -> Result<Vec<ScannerData>, Error> {
    decode_scanner_data_proto(message.proto()?)
}

pub(crate) fn decode_scanner_data_proto(p: crate::proto::ScannerData) -> Result<Vec<ScannerData>, Error> {
    let mut results = Vec::with_capacity(p.scanner_data_element.len());
    for elem in p.scanner_data_element {
        let contract = elem
            .contract
            .as_ref()
            .map(crate::proto::decoders::decode_contract)
            .transpose()?
            .unwrap_or_default();
        results.push(ScannerData {
            rank: elem.rank.unwrap_or_default(),
            contract_details: crate::contracts::ContractDetails {
                contract,
                market_name: elem.market_name.unwrap_or_default(),
                ..Default::default()
            },
            leg: elem.combo_key.unwrap_or_default(),
        });
    }

    Ok(results)
}

#[cfg(test)]
#[path = "decoders_tests.rs"]
mod tests;
