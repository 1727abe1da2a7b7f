using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
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
                type: "char(36)",
                nullable: true,
                collation: "ascii_general_ci");
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
