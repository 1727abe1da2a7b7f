using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
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
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Name = table.Column<string>(type: "varchar(100)", maxLength: 100, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Kind = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PointsPrice = table.Column<long>(type: "bigint", nullable: false),
                    Stock = table.Column<long>(type: "bigint", nullable: false),
                    LimitPerDay = table.Column<int>(type: "int", nullable: true),
                    LimitTotal = table.Column<int>(type: "int", nullable: true),
                    AllowedLevels = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    OnSaleFrom = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    OnSaleUntil = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    ArchivedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mall_items", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "mall_coupon_codes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ItemId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    RedemptionId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    ImportedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true)
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "mall_redemptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ItemId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ItemName = table.Column<string>(type: "varchar(100)", maxLength: 100, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Kind = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Quantity = table.Column<int>(type: "int", nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    PickupCode = table.Column<string>(type: "varchar(12)", maxLength: 12, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PointsEntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    FulfilledAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    FulfilledByGuideId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    FulfilledAtStoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    Carrier = table.Column<string>(type: "varchar(40)", maxLength: 40, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    TrackingNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    CancelledAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false),
                    CouponCodes = table.Column<string>(type: "varchar(6500)", maxLength: 6500, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4")
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "mall_stock_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ItemId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Kind = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Delta = table.Column<long>(type: "bigint", nullable: false),
                    SourceKey = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    RedemptionId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
