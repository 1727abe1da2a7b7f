using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class GuideBinding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SceneCode",
                table: "guides",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "guide_qr_codes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    GuideId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Page = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Scene = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_guide_qr_codes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_guide_qr_codes_guides_GuideId",
                        column: x => x.GuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "member_guide_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromGuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FromStoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ToGuideId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToStoreId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_guide_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_member_guide_changes_guides_ToGuideId",
                        column: x => x.ToGuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_member_guide_changes_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_guides_SceneCode",
                table: "guides",
                column: "SceneCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_guide_qr_codes_GuideId_Page",
                table: "guide_qr_codes",
                columns: new[] { "GuideId", "Page" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_member_guide_changes_MemberId_ChangedAt",
                table: "member_guide_changes",
                columns: new[] { "MemberId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_member_guide_changes_ToGuideId",
                table: "member_guide_changes",
                column: "ToGuideId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "guide_qr_codes");

            migrationBuilder.DropTable(
                name: "member_guide_changes");

            migrationBuilder.DropIndex(
                name: "IX_guides_SceneCode",
                table: "guides");

            migrationBuilder.DropColumn(
                name: "SceneCode",
                table: "guides");
        }
    }
}
