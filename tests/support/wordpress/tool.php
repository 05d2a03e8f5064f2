<?php
/*
 * php-cli side of the WordPress test harness (tests/support/wordpress.ts).
 *
 *   php tool.php <web root> <command>   with a JSON object on stdin, one JSON answer on stdout.
 *
 * Commands: install {title,user,password,email}; attachments {items: [{file,title,alt?}]};
 * post {title,content,status?}. Loads WordPress from the harness's web root, whose
 * wp-config.php points at the harness's own MariaDB; sends no mail and makes no requests.
 */

if ( PHP_SAPI !== 'cli' || $argc < 3 ) {
	fwrite( STDERR, "usage: php tool.php <web root> <command> < input.json\n" );
	exit( 2 );
}
$root    = rtrim( $argv[1], '/' ) . '/';
$command = $argv[2];
$input   = json_decode( stream_get_contents( STDIN ), true );
if ( ! is_array( $input ) ) {
	fwrite( STDERR, "tool.php: stdin must be a JSON object\n" );
	exit( 2 );
}

// The harness's wp-config.php (in the web root) sets the host and database.
define( 'ABSPATH', $root );
if ( 'install' === $command ) {
	define( 'WP_INSTALLING', true );
}
require ABSPATH . 'wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

function answer( $value ) {
	echo wp_json_encode( $value ), "\n";
	exit( 0 );
}

function fail( $message ) {
	fwrite( STDERR, "tool.php: $message\n" );
	exit( 1 );
}

switch ( $command ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$result = wp_install( $input['title'], $input['user'], $input['email'], false, '', wp_slash( $input['password'] ), 'en_US' );
		$user   = (int) $result['user_id'];
		update_option( 'permalink_structure', '' );
		update_option( 'blog_public', '0' );
		// The block editor's welcome guide is a modal that blocks every click on first visit.
		global $wpdb;
		update_user_meta(
			$user,
			$wpdb->get_blog_prefix() . 'persisted_preferences',
			array(
				'core/edit-post' => array( 'welcomeGuide' => false ),
				'_modified'      => gmdate( 'c' ),
			)
		);
		// The admin's "new version" and privacy nags only add chrome that the fixtures do not need.
		update_user_meta( $user, 'show_welcome_panel', 0 );
		answer( array( 'user' => $user ) );

	case 'attachments':
		require_once ABSPATH . 'wp-admin/includes/image.php';
		$made = array();
		foreach ( $input['items'] as $item ) {
			$file = $item['file'];
			if ( ! is_readable( $file ) ) {
				fail( "cannot read $file" );
			}
			$upload = wp_upload_bits( basename( $file ), null, file_get_contents( $file ) );
			if ( ! empty( $upload['error'] ) ) {
				fail( $upload['error'] );
			}
			$type = wp_check_filetype( $upload['file'] );
			$id   = wp_insert_attachment(
				array(
					'post_title'     => $item['title'],
					'post_mime_type' => $type['type'],
					'post_status'    => 'inherit',
				),
				$upload['file'],
				0,
				true
			);
			if ( is_wp_error( $id ) ) {
				fail( $id->get_error_message() );
			}
			wp_update_attachment_metadata( $id, wp_generate_attachment_metadata( $id, $upload['file'] ) );
			if ( isset( $item['alt'] ) ) {
				update_post_meta( $id, '_wp_attachment_image_alt', wp_slash( $item['alt'] ) );
			}
			$made[] = array( 'id' => $id, 'url' => wp_get_attachment_url( $id ) );
		}
		answer( $made );

	case 'post':
		wp_set_current_user( 1 ); // an administrator may save any block markup (no kses)
		$id = wp_insert_post(
			array(
				'post_title'   => $input['title'],
				'post_content' => wp_slash( $input['content'] ),
				'post_status'  => isset( $input['status'] ) ? $input['status'] : 'publish',
				'post_author'  => 1,
			),
			true
		);
		if ( is_wp_error( $id ) ) {
			fail( $id->get_error_message() );
		}
		answer( array( 'id' => $id ) );

	default:
		fail( "unknown command $command" );
}
