using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Mall : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mall_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PointsPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    Stock = table.Column<long>(type: "INTEGER", nullable: false),
                    LimitPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    LimitTotal = table.Column<int>(type: "INTEGER", nullable: true),
                    AllowedLevels = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OnSaleFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    OnSaleUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mall_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mall_coupon_codes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RedemptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mall_coupon_codes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mall_coupon_codes_mall_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "mall_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mall_redemptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PickupCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    PointsEntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FulfilledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FulfilledByGuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FulfilledAtStoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Carrier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TrackingNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CouponCodes = table.Column<string>(type: "TEXT", maxLength: 6500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mall_redemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mall_redemptions_mall_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "mall_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mall_redemptions_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mall_stock_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Delta = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RedemptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mall_stock_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mall_stock_entries_mall_items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "mall_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mall_coupon_codes_ItemId_Code",
                table: "mall_coupon_codes",
                columns: new[] { "ItemId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mall_coupon_codes_ItemId_RedemptionId",
                table: "mall_coupon_codes",
                columns: new[] { "ItemId", "RedemptionId" });

            migrationBuilder.CreateIndex(
                name: "IX_mall_items_ArchivedAt",
                table: "mall_items",
                column: "ArchivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_ItemId",
                table: "mall_redemptions",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_MemberId_CreatedAt",
                table: "mall_redemptions",
                columns: new[] { "MemberId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_MemberId_ItemId_CreatedAt",
                table: "mall_redemptions",
                columns: new[] { "MemberId", "ItemId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_PickupCode",
                table: "mall_redemptions",
                column: "PickupCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mall_stock_entries_ItemId",
                table: "mall_stock_entries",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_mall_stock_entries_SourceKey",
                table: "mall_stock_entries",
                column: "SourceKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mall_coupon_codes");

            migrationBuilder.DropTable(
                name: "mall_redemptions");

            migrationBuilder.DropTable(
                name: "mall_stock_entries");

            migrationBuilder.DropTable(
                name: "mall_items");
        }
    }
}
