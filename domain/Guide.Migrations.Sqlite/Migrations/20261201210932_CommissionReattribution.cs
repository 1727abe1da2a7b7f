using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CommissionReattribution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ActorId",
                table: "commission_entries",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorId",
                table: "commission_entries");
        }
    }
}
