"""An ib_async client driven by the simulator's tests and benchmark.

Usage:
  ib_async_client.py session PORT CLIENT_ID ACCOUNT
      Connects, then answers one JSON line per command read from stdin:
        state               positions and account values of ACCOUNT
        buy SYMBOL QTY      a market order, answered once it is done and its commission known
        sell SYMBOL QTY     likewise
        lookup SYMBOL MARKET_DATA_TYPE
                            contract details, a market data snapshot,
                            the account summary and the gateway's time
        rest SYMBOL QTY PRICE
                            a limit buy that rests, cancelled once working; answered when done
        expect SYMBOL QTY   the state once ACCOUNT holds QTY of SYMBOL (as pushed by the
                            gateway's position updates), or after TIMEOUT seconds
        summary TAGS        ACCOUNT's account summary rows [tag, currency, value] for the
                            comma-separated TAGS (e.g. $LEDGER:ALL), as reqAccountSummary
                            answers them
        quit                disconnects and exits
  ib_async_client.py bench PORT CLIENT_ID ACCOUNT RUNS
      Connects RUNS times as CLIENT_ID, CLIENT_ID + 1, ... (ib_async's start-up synchronises
      positions, orders, account values and executions), reads ACCOUNT's positions and
      values, disconnects; prints the milliseconds of each run as one JSON line.
"""

import asyncio
import json
import sys
import time

from ib_async import IB, LimitOrder, MarketOrder, Stock

TIMEOUT = 10


def state(ib, account):
    held = ib.positions(account)
    positions = {
        p.contract.symbol: p.position
        for p in held
        if p.contract.secType == "STK" and p.contract.currency == "USD"
    }
    others = [
        {
            "con_id": p.contract.conId,
            "symbol": p.contract.symbol,
            "sec_type": p.contract.secType,
            "currency": p.contract.currency,
            "expiry": p.contract.lastTradeDateOrContractMonth,
            "strike": p.contract.strike,
            "right": p.contract.right,
            "multiplier": p.contract.multiplier,
            "position": p.position,
        }
        for p in held
        if not (p.contract.secType == "STK" and p.contract.currency == "USD")
    ]
    values = {
        v.tag: v.value for v in ib.accountValues(account) if v.currency in ("USD", "")
    }
    base = {v.tag: v.value for v in ib.accountValues(account) if v.currency == "BASE"}
    statuses = {}
    for t in ib.trades():
        statuses[t.orderStatus.status] = statuses.get(t.orderStatus.status, 0) + 1
    return {
        "server_version": ib.client.serverVersion(),
        "positions": positions,
        "others": others,
        "values": values,
        "base": base,
        "fills": len(ib.fills()),
        "trades": statuses,
    }


async def trade(ib, account, action, symbol, quantity):
    order = MarketOrder(action, quantity, account=account, orderRef="ib_async")
    placed = ib.placeOrder(Stock(symbol, "SMART", "USD"), order)
    return await outcome(ib, placed)


async def rest_and_cancel(ib, account, symbol, quantity, price):
    order = LimitOrder("BUY", quantity, price, account=account, orderRef="ib_async")
    placed = ib.placeOrder(Stock(symbol, "SMART", "USD"), order)
    while placed.orderStatus.status != "Submitted" and not placed.isDone():
        await asyncio.wait_for(placed.statusEvent, TIMEOUT)
    ib.cancelOrder(placed.order)
    return await outcome(ib, placed)


async def outcome(ib, placed):
    while not placed.isDone():
        await asyncio.wait_for(placed.statusEvent, TIMEOUT)
    while any(f.commissionReport.execId == "" for f in placed.fills):
        await asyncio.wait_for(ib.commissionReportEvent, TIMEOUT)
    status = placed.orderStatus
    return {
        "order_id": placed.order.orderId,
        "status": status.status,
        "filled": status.filled,
        "avg_price": status.avgFillPrice,
        "commission": sum(f.commissionReport.commission for f in placed.fills),
        "errors": [entry.message for entry in placed.log if entry.errorCode],
    }


async def lookup(ib, account, symbol, market_data_type):
    contract = Stock(symbol, "SMART", "USD")
    details = await ib.reqContractDetailsAsync(contract)
    ib.reqMarketDataType(market_data_type)
    [ticker] = await ib.reqTickersAsync(details[0].contract)
    summary = await ib.accountSummaryAsync(account)
    now = await ib.reqCurrentTimeAsync()
    return {
        "con_id": details[0].contract.conId,
        "long_name": details[0].longName,
        "min_tick": details[0].minTick,
        "bid": ticker.bid,
        "ask": ticker.ask,
        "last": ticker.last,
        "market_data_type": ticker.marketDataType,
        "summary": {v.tag: v.value for v in summary if v.account == account},
        "time": now.timestamp(),
    }


async def summary(ib, account, tags):
    ib.wrapper.acctSummary.clear()
    req_id = ib.client.getReqId()
    done = ib.wrapper.startReq(req_id)
    ib.client.reqAccountSummary(req_id, "All", tags)
    await asyncio.wait_for(done, TIMEOUT)
    ib.client.cancelAccountSummary(req_id)
    rows = [
        [v.tag, v.currency, v.value]
        for v in ib.wrapper.acctSummary.values()
        if v.account == account
    ]
    return {"rows": sorted(rows)}


async def expect(ib, account, symbol, quantity):
    def held():
        return sum(
            p.position for p in ib.positions(account) if p.contract.symbol == symbol
        )

    try:
        while held() != quantity:
            await asyncio.wait_for(ib.positionEvent, TIMEOUT)
    except asyncio.TimeoutError:
        pass
    return state(ib, account)


async def session(port, client_id, account):
    ib = IB()
    await ib.connectAsync("127.0.0.1", port, clientId=client_id, timeout=TIMEOUT)
    loop = asyncio.get_running_loop()
    print(json.dumps({"connected": True}), flush=True)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "state":
            answer = state(ib, account)
        elif words[0] == "lookup":
            answer = await lookup(ib, account, words[1], int(words[2]))
        elif words[0] == "summary":
            answer = await summary(ib, account, words[1])
        elif words[0] == "expect":
            answer = await expect(ib, account, words[1], float(words[2]))
        elif words[0] == "rest":
            answer = await rest_and_cancel(
                ib, account, words[1], float(words[2]), float(words[3])
            )
        elif words[0] in ("buy", "sell"):
            answer = await trade(ib, account, words[0].upper(), words[1], float(words[2]))
        else:
            answer = {"error": f"unknown command {words[0]!r}"}
        print(json.dumps(answer), flush=True)
    ib.disconnect()


async def bench(port, client_id, account, runs):
    times = []
    for run in range(runs):
        started = time.perf_counter()
        ib = IB()
        await ib.connectAsync("127.0.0.1", port, clientId=client_id + run, timeout=TIMEOUT)
        read = state(ib, account)
        ib.disconnect()
        times.append((time.perf_counter() - started) * 1000)
        if not read["values"]:
            raise SystemExit(f"no account values for {account}")
    print(json.dumps({"ms": times}), flush=True)


def main(argv):
    mode, port, client_id, account = argv[1], int(argv[2]), int(argv[3]), argv[4]
    if mode == "session":
        asyncio.run(session(port, client_id, account))
    elif mode == "bench":
        asyncio.run(bench(port, client_id, account, int(argv[5])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
