using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MemberLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "LevelGrantLapsed",
                table: "recharges",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "LevelGrantMonths",
                table: "recharges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LevelGrantedUntil",
                table: "recharges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LevelGrantMonths",
                table: "recharge_packages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LevelVersion",
                table: "members",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "member_level_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromRank = table.Column<int>(type: "INTEGER", nullable: false),
                    ToRank = table.Column<int>(type: "INTEGER", nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_level_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_member_level_changes_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "member_level_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_level_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "member_levels",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Rank = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Threshold = table.Column<long>(type: "INTEGER", nullable: false),
                    PointsMultiplier = table.Column<decimal>(type: "TEXT", precision: 4, scale: 2, nullable: false),
                    Archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_levels", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_member_level_changes_MemberId_ChangedAt",
                table: "member_level_changes",
                columns: new[] { "MemberId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_member_levels_Rank",
                table: "member_levels",
                column: "Rank",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "member_level_changes");

            migrationBuilder.DropTable(
                name: "member_level_settings");

            migrationBuilder.DropTable(
                name: "member_levels");

            migrationBuilder.DropColumn(
                name: "LevelGrantLapsed",
                table: "recharges");

            migrationBuilder.DropColumn(
                name: "LevelGrantMonths",
                table: "recharges");

            migrationBuilder.DropColumn(
                name: "LevelGrantedUntil",
                table: "recharges");

            migrationBuilder.DropColumn(
                name: "LevelGrantMonths",
                table: "recharge_packages");

            migrationBuilder.DropColumn(
                name: "LevelVersion",
                table: "members");
        }
    }
}
