// Subscribes to an ssehub stream with Node's own fetch (Node 18 or later, no dependency), prints
// each event as "<type> <id> <data>", and when the stream ends reconnects with Last-Event-ID, as a
// browser's EventSource does, so no event is lost or repeated.
//
//   node subscribe.mjs http://localhost:8080/events/news [last-event-id]

const [url, startAfter] = process.argv.slice(2);
const state = { lastEventId: startAfter ?? '', retry: 1000 };

function onEvent(type, id, data) {
  // A "reset" event says the hub no longer holds every event after our last id (its data says
  // which): an application reloads its state from its source of truth there, instead of going on
  // with a gap. "ready" comes first on every connection, with the position the stream starts after.
  console.log(`${type} ${id} ${data}`);
}

for (;;) {
  const headers = { Accept: 'text/event-stream' };
  if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
  try {
    const response = await fetch(url, { headers });
    if (response.status !== 200) {
      console.error(`refused: HTTP ${response.status} ${await response.text()}`);
      process.exit(1); // as EventSource does: an error answer is final
    }
    await readEvents(response.body, state, onEvent);
    console.error(`stream ended, reconnecting in ${state.retry} ms`);
  } catch (error) {
    console.error(`stream failed (${error.cause?.code ?? error.message}), reconnecting in ${state.retry} ms`);
  }
  await new Promise((resolve) => setTimeout(resolve, state.retry));
}

/** Parses a text/event-stream body as the HTML standard says, calling dispatch for each event. */
async function readEvents(body, state, dispatch) {
  const decoder = new TextDecoder();
  let buffer = '';
  let type = '';
  let data = [];
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end; (end = buffer.search(/[\r\n]/)) >= 0; ) {
      if (buffer[end] === '\r' && end === buffer.length - 1) break; // a "\n" may follow
      const line = buffer.slice(0, end);
      buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
      if (line === '') {
        if (data.length) dispatch(type || 'message', state.lastEventId, data.join('\n'));
        type = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue; // a comment: the hub's keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') type = value;
      else if (field === 'id' && !value.includes('\0')) state.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) state.retry = Number(value);
    }
  }
}
