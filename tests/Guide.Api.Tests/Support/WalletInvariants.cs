using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Support;

/// <summary>
/// The ledger's invariants, checked in SQL on the database itself: no balance below zero; every wallet equals
/// the sum of its entries and the sum of its lots' remainders; every entry equals the sum of its lot lines.
/// </summary>
public static class WalletInvariants
{
    public static async Task<long> CountViolationsAsync(GuideDbContext db)
    {
        var wallets = await db.Database.SqlQueryRaw<long>("""
            SELECT COUNT(*) AS Value FROM wallets w
            WHERE w.Principal < 0 OR w.Gift < 0
               OR w.Principal <> COALESCE((SELECT SUM(e.PrincipalDelta) FROM wallet_entries e WHERE e.MemberId = w.MemberId), 0)
               OR w.Gift <> COALESCE((SELECT SUM(e.GiftDelta) FROM wallet_entries e WHERE e.MemberId = w.MemberId), 0)
               OR w.Principal <> COALESCE((SELECT SUM(l.PrincipalRemaining) FROM wallet_lots l WHERE l.MemberId = w.MemberId), 0)
               OR w.Gift <> COALESCE((SELECT SUM(l.GiftRemaining) FROM wallet_lots l WHERE l.MemberId = w.MemberId), 0)
            """).SingleAsync();
        var lots = await db.Database.SqlQueryRaw<long>("""
            SELECT COUNT(*) AS Value FROM wallet_lots l
            WHERE l.PrincipalRemaining < 0 OR l.GiftRemaining < 0
               OR l.PrincipalRemaining <> COALESCE((SELECT SUM(x.PrincipalDelta) FROM wallet_entry_lines x WHERE x.LotId = l.Id), 0)
               OR l.GiftRemaining <> COALESCE((SELECT SUM(x.GiftDelta) FROM wallet_entry_lines x WHERE x.LotId = l.Id), 0)
            """).SingleAsync();
        var entries = await db.Database.SqlQueryRaw<long>("""
            SELECT COUNT(*) AS Value FROM wallet_entries e
            WHERE e.PrincipalDelta <> COALESCE((SELECT SUM(x.PrincipalDelta) FROM wallet_entry_lines x WHERE x.EntryId = e.Id), 0)
               OR e.GiftDelta <> COALESCE((SELECT SUM(x.GiftDelta) FROM wallet_entry_lines x WHERE x.EntryId = e.Id), 0)
            """).SingleAsync();
        return wallets + lots + entries;
    }
}
