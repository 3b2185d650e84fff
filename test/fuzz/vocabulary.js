// The fuzz generator's vocabulary, built from the compiler's own tables (packet headers,
// builtins, aggregations) and from the probe kinds that resolve in the given environment,
// so whatever the language grows is fuzzed without editing the generator.

/** Probes worth generating; those the checker does not know (yet) are dropped at build time. */
export const CANDIDATE_PROBES = [
  'xdp:eth0', 'xdp:lo', 'tc:eth0', 'tc:eth0:ingress', 'tc:lo:egress', 'BEGIN', 'END', 'interval:s:1', 'interval:ms:100',
  'tracepoint:net:netif_receive_skb', 'tracepoint:sock:inet_sock_set_state', 'tracepoint:skb:kfree_skb', 't:tcp:tcp_retransmit_skb',
  'rawtracepoint:netif_receive_skb', 'rawtracepoint:kfree_skb', 'fentry:tcp_v4_rcv', 'kprobe:tcp_v4_rcv',
];

/** A short stable name for a type, so map keys of one name always get one type. */
function signature(type) {
  if (type.kind === 'int') return type.show === 'ipv4' ? 'ipv4' : `${type.signed ? 's' : 'u'}${type.bits}${type.show ? ':' + type.show : ''}`;
  if (type.kind === 'bytes') return type.show ?? `bytes${type.size}`;
  if (type.kind === 'str') return 'str';
  return type.kind;
}

/** What a probe's `args` may hold: tried on every probe, kept where the checker types them. */
export const CANDIDATE_ARGS = [
  'args.len', 'args.skbaddr', 'args.reason', 'args.protocol', 'args.location', 'args.newstate', 'args.oldstate', 'args.sport',
  'args.dport', 'args.family', 'args.skb', 'args.skb->len', 'args.skb->protocol', 'args.skb->mark', 'args.skb->dev->ifindex',
  'args.skb->sk->__sk_common.skc_dport', 'args.sk->__sk_common.skc_num', 'args.skb.ip.src', 'args.skb.tcp.dport', 'args.skb.udp.dport', 'retval',
];

/**
 * @param {object} compiler  { HEADERS, VALUE_BUILTINS, PKT_FIELDS, AGGREGATIONS,
 *   contextOf(probeText): string | undefined, typeOf(probeText, expr): Type | undefined }
 */
export function buildVocabulary(compiler) {
  const { HEADERS, VALUE_BUILTINS, PKT_FIELDS, AGGREGATIONS, contextOf, typeOf } = compiler;
  const probes = CANDIDATE_PROBES.flatMap((text) => {
    const context = contextOf(text);
    return context === undefined ? [] : [{ text, context }];
  });
  if (probes.length === 0) throw new Error('fuzz vocabulary: no probe kind resolves in the fake environment');
  // Each probe's own arguments (tracepoint fields, BTF-typed kernel structs), as typed by the checker.
  const argLeaves = new Map(
    probes.map(({ text }) => [text, CANDIDATE_ARGS.flatMap((expr) => {
      const type = typeOf?.(text, expr);
      return type ? [{ text: expr, type }] : [];
    })]),
  );
  const hasPacket = (ctx) => ctx === 'xdp' || ctx === 'skb';
  const builtins = (ctx) => VALUE_BUILTINS.filter((b) => b.contexts === 'all' || b.contexts.includes(ctx));

  function typedLeaves(ctx, probe) {
    const leaves = [...(argLeaves.get(probe) ?? [])];
    if (hasPacket(ctx)) {
      for (const [h, spec] of Object.entries(HEADERS)) {
        for (const [f, field] of Object.entries(spec.fields)) leaves.push({ text: `${h}.${f}`, type: field.type });
      }
      for (const [f, field] of Object.entries(PKT_FIELDS)) leaves.push({ text: `pkt.${f}`, type: field.type });
    }
    for (const b of builtins(ctx)) leaves.push({ text: b.name, type: b.type });
    return leaves;
  }

  return {
    probes,
    aggregations: [...AGGREGATIONS],
    argLeaves,
    intLeaves: (ctx, probe) => typedLeaves(ctx, probe).filter((l) => l.type.kind === 'int').map((l) => l.text),
    boolLeaves: (ctx, probe) => [
      ...(hasPacket(ctx) ? Object.keys(HEADERS) : []),
      ...typedLeaves(ctx, probe).filter((l) => l.type.kind === 'bool').map((l) => l.text),
    ],
    keyLeaves: (ctx, probe) => typedLeaves(ctx, probe).map((l) => ({ text: l.text, kind: signature(l.type) })),
    actions: (ctx) => (hasPacket(ctx) ? ['drop', 'pass', ...(ctx === 'xdp' ? ['tx'] : [])] : []),
  };
}
