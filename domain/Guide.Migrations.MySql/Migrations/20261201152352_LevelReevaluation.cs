using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class LevelReevaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReevaluatedMembers",
                table: "member_level_settings",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ReevaluationCause",
                table: "member_level_settings",
                type: "varchar(24)",
                maxLength: 24,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<Guid>(
                name: "ReevaluationCursor",
                table: "member_level_settings",
                type: "char(36)",
                nullable: true,
                collation: "ascii_general_ci");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ReevaluationDay",
                table: "member_level_settings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReevaluationDoneAt",
                table: "member_level_settings",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReevaluationRulesVersion",
                table: "member_level_settings",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReevaluationStartedAt",
                table: "member_level_settings",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RulesVersion",
                table: "member_level_settings",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReevaluatedMembers",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationCause",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationCursor",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationDay",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationDoneAt",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationRulesVersion",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "ReevaluationStartedAt",
                table: "member_level_settings");

            migrationBuilder.DropColumn(
                name: "RulesVersion",
                table: "member_level_settings");
        }
    }
}
