using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace RAOrchestrator.Domain.Barriers;

/// <summary>What a snapshot header says about the parts that go with it.</summary>
[GenerateSerializer, Immutable, Alias("RAOrchestrator.Barriers.BarrierSnapshotManifest")]
public sealed record BarrierSnapshotManifest(
    [property: Id(0)] ulong Fingerprint,
    [property: Id(1)] int UserCount,
    [property: Id(2)] int UsersPerShard,
    [property: Id(3)] int ShardCount);

/// <summary>A compiled version split for storage: one small header and the user membership in shards.</summary>
public sealed record BarrierSnapshot(byte[] Header, IReadOnlyList<byte[]> Shards, BarrierSnapshotManifest Manifest);

/// <summary>A snapshot part that is corrupt, truncated, of another version or missing.</summary>
public sealed class BarrierSnapshotException(string message) : FormatException(message)
{
    public BarrierRule Rule => BarrierRule.SnapshotInvalid;
}

/// <summary>
/// Compact binary encoding of <see cref="CompiledBarriers"/> for storage in several entities or blobs.
/// <para>
/// Every part: <c>"RAIB"</c>, format version (1 byte), part kind (1 = header, 2 = shard), the compiled version's
/// fingerprint (8 bytes LE), the payload, and an FNV-1a-64 checksum of all preceding bytes (8 bytes LE).
/// Integers are LEB128 varints, strings are a varint byte length and UTF-8.
/// </para>
/// <para>
/// Header payload: mode, generation, segments (name, canonical filter), active policies (name, assigned segment, kind,
/// listed segments), the distinct segment sets, user count, users per shard, shard count, and the allowed matrix
/// (rows, 64-bit words) when one was built. Shard payload: shard index, first user ordinal, user count, then per user:
/// id, flags (bit 0: disabled or hidden), segment-set number. Decoding recomputes the fingerprint from all parts and
/// refuses a mismatch, so shards of different versions never mix.
/// </para>
/// </summary>
public static class BarrierSnapshotCodec
{
    /// <summary>About 400 KB per shard for GUID user ids: under Azure Table's ~960 KiB per-entity budget and cheap as a blob.</summary>
    public const int DefaultUsersPerShard = 10_000;

    private const byte FormatVersion = 1;
    private const byte KindHeader = 1;
    private const byte KindShard = 2;
    private const int MaxString = 1 << 16;
    private static ReadOnlySpan<byte> Magic => "RAIB"u8;

    public static BarrierSnapshot Encode(CompiledBarriers compiled, int usersPerShard = DefaultUsersPerShard)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        ArgumentOutOfRangeException.ThrowIfLessThan(usersPerShard, 1);
        var shardCount = ShardCount(compiled.UserCount, usersPerShard);
        var shards = new byte[shardCount][];
        for (var i = 0; i < shardCount; i++)
        {
            shards[i] = EncodeShard(compiled, i, usersPerShard);
        }

        return new BarrierSnapshot(EncodeHeader(compiled, usersPerShard), shards,
            new BarrierSnapshotManifest(compiled.Fingerprint, compiled.UserCount, usersPerShard, shardCount));
    }

    public static int ShardCount(int userCount, int usersPerShard) => (userCount + usersPerShard - 1) / usersPerShard;

    public static byte[] EncodeHeader(CompiledBarriers c, int usersPerShard)
    {
        var w = new Writer(KindHeader, c.Fingerprint);
        w.Byte((byte)c.Settings.Mode);
        w.Byte((byte)c.Settings.Generation);
        var names = c.SegmentNamesArray;
        var filters = c.SegmentFiltersArray;
        w.VarInt(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            w.String(names[i]);
            w.String(filters[i]);
        }

        w.VarInt(c.PoliciesArray.Length);
        foreach (var p in c.PoliciesArray)
        {
            w.String(p.Name);
            w.VarInt(p.AssignedSegment);
            w.Byte((byte)p.Kind);
            w.VarInt(p.Segments.Length);
            foreach (var s in p.Segments)
            {
                w.VarInt(s);
            }
        }

        w.VarInt(c.Sets.Length);
        foreach (var set in c.Sets)
        {
            w.VarInt(set.Length);
            foreach (var s in set)
            {
                w.VarInt(s);
            }
        }

        w.VarInt(c.UserCount);
        w.VarInt(usersPerShard);
        w.VarInt(ShardCount(c.UserCount, usersPerShard));
        var m = c.Matrix;
        w.VarInt(m is null ? 0 : m.Length);
        if (m is not null)
        {
            foreach (var word in m)
            {
                w.UInt64(word);
            }
        }

        return w.Finish();
    }

    public static byte[] EncodeShard(CompiledBarriers c, int shardIndex, int usersPerShard)
    {
        var first = shardIndex * usersPerShard;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(first, Math.Max(1, c.UserCount), nameof(shardIndex));
        var count = Math.Min(usersPerShard, c.UserCount - first);
        var w = new Writer(KindShard, c.Fingerprint);
        w.VarInt(shardIndex);
        w.VarInt(first);
        w.VarInt(count);
        for (var u = first; u < first + count; u++)
        {
            w.String(c.UserIds[u]);
            w.Byte(c.UserBarred[u] ? (byte)1 : (byte)0);
            w.VarInt(c.UserSets[u]);
        }

        return w.Finish();
    }

    /// <summary>Reads what a header says about its shards without decoding the rest.</summary>
    public static BarrierSnapshotManifest ReadManifest(ReadOnlySpan<byte> header)
    {
        var h = ReadHeader(header);
        return new BarrierSnapshotManifest(h.Fingerprint, h.UserCount, h.UsersPerShard, h.ShardCount);
    }

    /// <summary>Rebuilds a compiled version from its header and all its shards (any order).</summary>
    public static CompiledBarriers Decode(ReadOnlySpan<byte> header, IEnumerable<byte[]> shards, BarrierCompileOptions? options = null)
    {
        var h = ReadHeader(header);
        var ids = new string[h.UserCount];
        var sets = new int[h.UserCount];
        var barred = new bool[h.UserCount];
        var seen = new bool[h.ShardCount];
        foreach (var shard in shards)
        {
            var r = new Reader(shard, KindShard);
            if (r.Fingerprint != h.Fingerprint)
            {
                throw new BarrierSnapshotException($"Shard belongs to version {r.Fingerprint:x16}, header to {h.Fingerprint:x16}.");
            }

            var index = r.VarInt(h.ShardCount - 1);
            var first = r.VarInt(h.UserCount);
            var count = r.VarInt(h.UsersPerShard);
            if (seen[index] || first != index * h.UsersPerShard || count != Math.Min(h.UsersPerShard, h.UserCount - first))
            {
                throw new BarrierSnapshotException($"Shard {index} is duplicated or does not cover the users its header expects.");
            }

            seen[index] = true;
            for (var u = first; u < first + count; u++)
            {
                ids[u] = r.String();
                var flags = r.Byte();
                if (flags > 1)
                {
                    throw new BarrierSnapshotException($"Shard {index}: unknown user flags {flags}.");
                }

                barred[u] = flags == 1;
                sets[u] = r.VarInt(h.Sets.Length - 1);
            }

            r.End();
        }

        var missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new BarrierSnapshotException($"Shard {missing} of {h.ShardCount} is missing.");
        }

        var fingerprint = BarrierCompiler.Fingerprint(h.Settings, h.SegmentNames, h.SegmentFilters, h.Policies, h.Sets, ids, sets, barred);
        if (fingerprint != h.Fingerprint)
        {
            throw new BarrierSnapshotException($"The decoded content hashes to {fingerprint:x16}, not to the recorded {h.Fingerprint:x16}.");
        }

        return new CompiledBarriers(h.Settings, h.SegmentNames, h.SegmentFilters, h.Policies, h.Sets, ids, sets, barred, h.Fingerprint, [], h.Matrix, options);
    }

    private sealed record Header(
        ulong Fingerprint, BarrierSettings Settings, string[] SegmentNames, string[] SegmentFilters, CompiledPolicy[] Policies,
        int[][] Sets, int UserCount, int UsersPerShard, int ShardCount, ulong[]? Matrix);

    private static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        var r = new Reader(data, KindHeader);
        var mode = (BarrierMode)r.Byte();
        var generation = (BarrierGeneration)r.Byte();
        if (!Enum.IsDefined(mode) || !Enum.IsDefined(generation))
        {
            throw new BarrierSnapshotException("Unknown mode or generation.");
        }

        var segmentCount = r.VarInt(BarrierLimits.MaxSegmentsModern);
        var names = new string[segmentCount];
        var filters = new string[segmentCount];
        for (var i = 0; i < segmentCount; i++)
        {
            names[i] = r.String();
            filters[i] = r.String();
        }

        var policyCount = r.VarInt(segmentCount);
        var policies = new CompiledPolicy[policyCount];
        for (var i = 0; i < policyCount; i++)
        {
            var name = r.String();
            var assigned = r.VarInt(segmentCount - 1);
            var kind = (PolicyKind)r.Byte();
            if (!Enum.IsDefined(kind))
            {
                throw new BarrierSnapshotException("Unknown policy kind.");
            }

            var targets = new int[r.VarInt(segmentCount)];
            for (var t = 0; t < targets.Length; t++)
            {
                targets[t] = r.VarInt(segmentCount - 1);
            }

            policies[i] = new CompiledPolicy(name, assigned, kind, targets, CompiledBarriers.ToBits(targets, segmentCount));
        }

        var setCount = r.VarInt(int.MaxValue / 2);
        var sets = new int[setCount][];
        for (var i = 0; i < setCount; i++)
        {
            sets[i] = new int[r.VarInt(segmentCount)];
            for (var s = 0; s < sets[i].Length; s++)
            {
                sets[i][s] = r.VarInt(segmentCount - 1);
            }
        }

        var userCount = r.VarInt(int.MaxValue / 2);
        var perShard = r.VarInt(int.MaxValue / 2);
        var shardCount = r.VarInt(int.MaxValue / 2);
        if (perShard < 1 || shardCount != ShardCount(userCount, perShard))
        {
            throw new BarrierSnapshotException("Inconsistent shard layout.");
        }

        var words = r.VarInt(int.MaxValue / 16);
        ulong[]? matrix = null;
        if (words > 0)
        {
            matrix = new ulong[words];
            for (var i = 0; i < words; i++)
            {
                matrix[i] = r.UInt64();
            }
        }

        r.End();
        return new Header(r.Fingerprint, new BarrierSettings(mode, generation), names, filters, policies, sets, userCount, perShard, shardCount, matrix);
    }

    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        public Writer(byte kind, ulong fingerprint)
        {
            _buffer.Write(Magic);
            Byte(FormatVersion);
            Byte(kind);
            UInt64(fingerprint);
        }

        public void Byte(byte value) => _buffer.Write([value]);

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public void VarInt(int value)
        {
            var v = (uint)value;
            var span = _buffer.GetSpan(5);
            var n = 0;
            while (v >= 0x80)
            {
                span[n++] = (byte)(v | 0x80);
                v >>= 7;
            }

            span[n++] = (byte)v;
            _buffer.Advance(n);
        }

        public void String(string value)
        {
            var count = Encoding.UTF8.GetByteCount(value);
            VarInt(count);
            Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
            _buffer.Advance(count);
        }

        public byte[] Finish()
        {
            var h = new Fnv64();
            h.Add(_buffer.WrittenSpan);
            UInt64(h.Value);
            return _buffer.WrittenSpan.ToArray();
        }
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _pos;

        public Reader(ReadOnlySpan<byte> data, byte kind)
        {
            if (data.Length < 4 + 2 + 8 + 8 || !data[..4].SequenceEqual(Magic))
            {
                throw new BarrierSnapshotException("Not a barrier snapshot part.");
            }

            var body = data[..^8];
            var h = new Fnv64();
            h.Add(body);
            if (h.Value != BinaryPrimitives.ReadUInt64LittleEndian(data[^8..]))
            {
                throw new BarrierSnapshotException("Checksum mismatch: the part is corrupt or truncated.");
            }

            if (data[4] != FormatVersion)
            {
                throw new BarrierSnapshotException($"Unsupported snapshot format version {data[4]}.");
            }

            if (data[5] != kind)
            {
                throw new BarrierSnapshotException(kind == KindHeader ? "Expected a header, found a shard." : "Expected a shard, found a header.");
            }

            _data = body;
            _pos = 6;
            Fingerprint = UInt64();
        }

        public ulong Fingerprint { get; }

        public byte Byte()
        {
            Need(1);
            return _data[_pos++];
        }

        public ulong UInt64()
        {
            Need(8);
            var v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_pos, 8));
            _pos += 8;
            return v;
        }

        /// <summary>A varint in [0, max].</summary>
        public int VarInt(int max)
        {
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                result |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    if (result > (uint)Math.Max(max, 0) || max < 0)
                    {
                        throw new BarrierSnapshotException($"Value {result} out of range (max {max}) at offset {_pos}.");
                    }

                    return (int)result;
                }
            }

            throw new BarrierSnapshotException($"Malformed varint at offset {_pos}.");
        }

        public string String()
        {
            var length = VarInt(MaxString);
            Need(length);
            var s = Encoding.UTF8.GetString(_data.Slice(_pos, length));
            _pos += length;
            return s;
        }

        public readonly void End()
        {
            if (_pos != _data.Length)
            {
                throw new BarrierSnapshotException($"{_data.Length - _pos} unexpected trailing bytes.");
            }
        }

        private readonly void Need(int count)
        {
            if (_data.Length - _pos < count)
            {
                throw new BarrierSnapshotException("Unexpected end of data.");
            }
        }
    }
}
