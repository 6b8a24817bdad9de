// Runs inside a Chromium page: one party of a call, signaling only through the gateway's JSON /ws dialect.
export async function runParty({ wsUrl, token, me, other, role, callId, relay }) {
  const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}&deviceType=im_web`);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = () => rej(new Error('ws failed')); });
  let next = 0;
  const pending = new Map();
  const handlers = {};
  const waiters = {};
  ws.onmessage = e => {
    const frame = JSON.parse(e.data);
    if (frame.id != null && pending.has(frame.id)) {
      const p = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.type === 'error') p.reject(new Error(`${frame.code} ${frame.msg}`)); else p.resolve(frame.data);
    } else if (handlers[frame.type]) {
      handlers[frame.type](frame.data);
    } else {
      (waiters[frame.type] ??= []).push(frame.data);
    }
  };
  const request = (type, data) => new Promise((resolve, reject) => {
    const id = String(++next);
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ type, id, data }));
  });
  const nextPush = type => new Promise(res => {
    if (waiters[type]?.length) return res(waiters[type].shift());
    handlers[type] = d => { delete handlers[type]; res(d); };
  });

  const { iceServers } = await request('turn.credentials', {});
  const config = relay
    ? { iceServers: iceServers.map(s => ({ urls: s.urls ?? s.url, username: s.username ?? undefined, credential: s.credential ?? undefined })),
        iceTransportPolicy: 'relay' }
    : { iceServers: [] };
  const pc = new RTCPeerConnection(config);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); // fake devices
  for (const track of stream.getTracks()) pc.addTrack(track, stream);

  const early = [];
  pc.onicecandidate = e => {
    if (e.candidate) request('rtc.signaling', { callId, type: 'ICE_CANDIDATE', payload: e.candidate.toJSON() });
  };
  handlers['rtc.signaling'] = async d => {
    if (d.type === 'OFFER') {
      await pc.setRemoteDescription({ type: 'offer', sdp: d.payload });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await request('rtc.signaling', { callId, type: 'ANSWER', payload: answer.sdp });
      for (const c of early.splice(0)) await pc.addIceCandidate(c);
    } else if (d.type === 'ANSWER') {
      await pc.setRemoteDescription({ type: 'answer', sdp: d.payload });
      for (const c of early.splice(0)) await pc.addIceCandidate(c);
    } else if (d.type === 'ICE_CANDIDATE') {
      // Candidates can overtake the description they belong to; keep them until it is set.
      if (pc.remoteDescription) await pc.addIceCandidate(d.payload); else early.push(d.payload);
    }
  };
  const connected = new Promise((res, rej) => {
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') res();
      if (pc.connectionState === 'failed') rej(new Error('RTCPeerConnection failed'));
    };
  });
  window.__ready = true;

  if (role === 'caller') {
    await request('call.request', { callId, type: 'VIDEO', callee: other, callerUserName: me, calleeUserName: other });
    const answer = await nextPush('call.response');
    if (answer.type !== 'ACCEPT') throw new Error(`call not accepted: ${JSON.stringify(answer)}`);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await request('rtc.signaling', { callId, type: 'OFFER', payload: offer.sdp });
  } else {
    const ring = await nextPush('call.request');
    await request('call.response', { callId: ring.callId, type: 'ACCEPT' });
  }

  await Promise.race([connected, new Promise((_, rej) => setTimeout(() => rej(new Error(`not connected: ${pc.connectionState}`)), 25000))]);
  // 'connected' can come a moment before the stats report the succeeded pair: look again for a few seconds.
  let stats, pair;
  for (const until = Date.now() + 5000; !pair && Date.now() < until; await new Promise(r => setTimeout(r, 100))) {
    stats = await pc.getStats();
    stats.forEach(s => { if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || !pair)) pair = s; });
  }
  const local = pair && stats.get(pair.localCandidateId);
  const result = { state: pc.connectionState, localCandidateType: local?.candidateType };
  if (role === 'caller') await request('call.hangup', { callId });
  return result;
}
