using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ReevaluationCause",
                table: "member_level_settings",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReevaluationCursor",
                table: "member_level_settings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ReevaluationDay",
                table: "member_level_settings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReevaluationDoneAt",
                table: "member_level_settings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReevaluationRulesVersion",
                table: "member_level_settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ReevaluationStartedAt",
                table: "member_level_settings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RulesVersion",
                table: "member_level_settings",
                type: "INTEGER",
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
