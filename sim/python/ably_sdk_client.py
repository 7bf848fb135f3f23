"""Ably's official Python SDK as a subscriber, for the tests that check the Ably simulator
against it: `ably_sdk_client.py HOST:PORT KEY CHANNEL COUNT [REWIND]` connects (plain
websocket, JSON), attaches CHANNEL (with the `rewind` channel parameter when REWIND is given),
prints {"attached": CHANNEL}, then one JSON line per message received (id, name, data) until
COUNT have arrived, and closes."""
import asyncio, json, sys
from ably import AblyRealtime

async def main():
    host, key, channel, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    params = {"rewind": sys.argv[5]} if len(sys.argv) > 5 else None
    client = AblyRealtime(key=key, realtime_host=host, tls=False, use_binary_protocol=False,
                          fallback_hosts=[])
    await asyncio.wait_for(client.connection.once_async('connected'), 10)
    got = asyncio.Queue()
    async def on(message):
        await got.put(message)
    await asyncio.wait_for(client.channels.get(channel, params=params).subscribe(on), 10)
    print(json.dumps({"attached": channel}), flush=True)
    for _ in range(count):
        m = await asyncio.wait_for(got.get(), 10)
        print(json.dumps({"id": m.id, "name": m.name, "data": m.data}), flush=True)
    await client.close()

asyncio.run(main())
